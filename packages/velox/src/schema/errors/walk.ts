import type { StandardSchemaV1 } from "@standard-schema/spec";

/** Plain path keys of a Standard Schema issue (segments may be `{ key }` objects). */
export function issuePath(issue: StandardSchemaV1.Issue): (string | number)[] {
  const out: (string | number)[] = [];
  for (const seg of issue.path ?? []) {
    const key = typeof seg === "object" && seg !== null ? (seg as StandardSchemaV1.PathSegment).key : seg;
    out.push(typeof key === "symbol" ? String(key) : (key as string | number));
  }
  return out;
}

/** The value at `path` inside `root`, or `undefined` when the path does not exist. */
export function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let current: any = root;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/**
 * The `input` Pydantic reports for an issue at `path`: the value itself, or for a missing field the
 * object that lacks it (Pydantic shows the parent); a missing top-level parameter reports `null`.
 */
export function inputFor(root: unknown, path: readonly (string | number)[]): { input: unknown; missing: boolean } {
  const value = valueAt(root, path);
  if (value !== undefined) return { input: value, missing: false };
  if (path.length === 0) return { input: null, missing: true };
  const parent = valueAt(root, path.slice(0, -1));
  return { input: parent === undefined ? null : parent, missing: true };
}
