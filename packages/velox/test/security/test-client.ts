import { afterEach } from "vitest";
import type { Velox } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

/**
 * Returns `serve(app)`, which opens a TestClient; every client opened in a test is closed after
 * it (lifespan cleanup, app-scoped disposal).
 *
 * @example
 * ```ts
 * const serve = useTestClient();
 * const res = await serve(app).get("/");
 * ```
 */
export function useTestClient(): (app: Velox) => TestClient {
  const open: TestClient[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  return (app) => {
    const client = new TestClient(app);
    open.push(client);
    return client;
  };
}
