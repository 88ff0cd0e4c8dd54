import pg from "pg";

/**
 * Whether a PostgreSQL server answers `SELECT 1` at `url` within 2 s: the tests that need it skip
 * (or, under `VELOX_REQUIRE_SERVICES=1`, fail) when it does not.
 *
 * @example
 * ```ts
 * const reachable = await postgresAnswers("postgres://postgres@127.0.0.1:5432/test");
 * ```
 */
export async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
