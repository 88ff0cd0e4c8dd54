/** What replaces a redacted value. */
export const CENSOR = "[Redacted]";

/**
 * Keys whose values are secrets by default: credentials in headers (`authorization`, `cookie`,
 * `set-cookie`, API keys) and fields named like passwords, secrets and tokens at any depth.
 */
export const DEFAULT_SENSITIVE = /authorization|cookie|passw(or)?d|passphrase|^pwd$|secret|token|api[-_]?key|credential|private[-_]?key/i;

/** Deepest nesting walked; deeper values are logged as they are (pino stringifies them). */
const MAX_DEPTH = 8;
/** Distinct keys remembered; log records reuse a small set of field names. */
const MAX_CACHED_KEYS = 4_096;

/**
 * A function returning a copy of a log record with the values of sensitive keys replaced by
 * `[Redacted]`, at any depth, in objects and arrays. The record itself is never changed (it may be
 * the app's own object). Key verdicts are cached, so a record of known field names costs one map
 * lookup per field.
 *
 * @example
 * ```ts
 * const redact = createRedactor([/^x-internal-/i]);
 * redact({ user: "ada", password: "hunter2", headers: { authorization: "Bearer x" } });
 * // { user: "ada", password: "[Redacted]", headers: { authorization: "[Redacted]" } }
 * ```
 */
export function createRedactor(extra: readonly (string | RegExp)[] = [], useDefaults = true): <T>(record: T) => T {
  const patterns = [...(useDefaults ? [DEFAULT_SENSITIVE] : []), ...extra.map((p) => (typeof p === "string" ? new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "i") : p))];
  const verdicts = new Map<string, boolean>();
  const sensitive = (key: string): boolean => {
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      verdict = patterns.some((p) => p.test(key));
      if (verdicts.size < MAX_CACHED_KEYS) verdicts.set(key, verdict);
    }
    return verdict;
  };
  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return value;
    if (value instanceof Error || ArrayBuffer.isView(value) || value instanceof Date) return value;
    if (Array.isArray(value)) {
      let copy: unknown[] | null = null;
      for (let i = 0; i < value.length; i++) {
        const next = walk(value[i], depth + 1);
        if (next !== value[i]) (copy ??= value.slice())[i] = next;
      }
      return copy ?? value;
    }
    let copy: Record<string, unknown> | null = null;
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const v = record[key];
      const next = sensitive(key) && v !== undefined ? CENSOR : walk(v, depth + 1);
      if (next !== v) (copy ??= { ...record })[key] = next;
    }
    return copy ?? value;
  };
  return <T>(record: T) => walk(record, 0) as T;
}
