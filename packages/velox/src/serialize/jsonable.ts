import { isUtf8 } from "node:buffer";

/** Options of {@link jsonable}. */
export interface JsonableOptions {
  /** Leave out object keys whose value is `null` or `undefined` (FastAPI's `exclude_none`). */
  excludeNone?: boolean;
  /** BigInt: a number when it fits a double exactly (default `auto`, else a string), or always a `string`. */
  bigint?: "auto" | "string";
  /** Buffers and typed byte arrays: UTF-8 text (default, as Pydantic; invalid UTF-8 throws) or `base64`. */
  bytes?: "utf8" | "base64";
}

/** A value `JSON.stringify` writes exactly as it is. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

interface Settings {
  excludeNone: boolean;
  bigint: "auto" | "string";
  bytes: "utf8" | "base64";
}

function where(path: readonly (string | number)[]): string {
  return path.length === 0 ? "the value" : path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("").replace(/^\./, "");
}

function encodeBigInt(value: bigint, s: Settings): JsonValue {
  if (s.bigint === "auto" && value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(value);
  return value.toString();
}

function encodeBytes(value: Uint8Array, s: Settings, path: readonly (string | number)[]): string {
  const buffer = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (s.bytes === "base64") return buffer.toString("base64");
  if (!isUtf8(buffer)) throw new TypeError(`jsonable: ${where(path)} is bytes that are not valid UTF-8 (use { bytes: "base64" })`);
  return buffer.toString("utf8");
}

function mapKey(key: unknown, path: readonly (string | number)[]): string {
  if (typeof key === "string") return key;
  if (typeof key === "number" || typeof key === "boolean" || typeof key === "bigint") return String(key);
  if (key instanceof Date) return key.toISOString();
  throw new TypeError(`jsonable: ${where(path)} is a Map with a ${typeof key} key, which JSON cannot name`);
}

function encode(value: unknown, s: Settings, path: (string | number)[], seen: Set<object>): JsonValue | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      // As JSON.stringify and Pydantic's default `ser_json_inf_nan="null"`.
      return Number.isFinite(value) ? value : null;
    case "bigint":
      return encodeBigInt(value, s);
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null) return null;
  const obj = value as object;
  if (obj instanceof Date) {
    if (Number.isNaN(obj.getTime())) throw new TypeError(`jsonable: ${where(path)} is an invalid Date`);
    return obj.toISOString();
  }
  if (ArrayBuffer.isView(obj) && obj instanceof Uint8Array) return encodeBytes(obj, s, path);
  if (seen.has(obj)) throw new TypeError(`jsonable: ${where(path)} refers back to itself (a cycle)`);
  seen.add(obj);
  try {
    if (typeof (obj as { toJSON?: unknown }).toJSON === "function") {
      return encode((obj as { toJSON(key: string): unknown }).toJSON(String(path[path.length - 1] ?? "")), s, path, seen);
    }
    if (Array.isArray(obj) || obj instanceof Set) {
      const out: JsonValue[] = [];
      let i = 0;
      for (const item of obj) {
        path.push(i);
        const encoded = encode(item, s, path, seen);
        path.pop();
        out.push(encoded === undefined ? null : encoded);
        i++;
      }
      return out;
    }
    const out: Record<string, JsonValue> = {};
    if (obj instanceof Map) {
      for (const [key, item] of obj) {
        const name = mapKey(key, path);
        path.push(name);
        const encoded = encode(item, s, path, seen);
        path.pop();
        if (encoded !== undefined && !(s.excludeNone && encoded === null)) out[name] = encoded;
      }
      return out;
    }
    for (const key of Object.keys(obj)) {
      path.push(key);
      const encoded = encode((obj as Record<string, unknown>)[key], s, path, seen);
      path.pop();
      if (encoded !== undefined && !(s.excludeNone && encoded === null)) out[key] = encoded;
    }
    return out;
  } finally {
    seen.delete(obj);
  }
}

/**
 * FastAPI's `jsonable_encoder` for JavaScript values: turns what `JSON.stringify` gets wrong or
 * refuses into JSON-ready data. `Date` → ISO 8601 string; `BigInt` → number when exact, else a
 * string; `Map` → object; `Set` → array; `Buffer`/`Uint8Array` → UTF-8 text (or base64); an
 * object with `toJSON()` (class instances, `URL`, Decimal libraries) → its `toJSON()`, encoded
 * in turn; other class instances → their own enumerable properties; `NaN`/`Infinity` → `null`;
 * `undefined`, functions and symbols are dropped from objects and become `null` in arrays, as in
 * `JSON.stringify`. A cycle, an invalid Date, a Map key JSON cannot name or non-UTF-8 bytes throw
 * a `TypeError` naming the place — never silently `{}` or `null`.
 *
 * @example
 * ```ts
 * jsonable({ at: new Date(0), big: 2n ** 70n, tags: new Set(["a"]), meta: new Map([["k", 1]]) });
 * // { at: "1970-01-01T00:00:00.000Z", big: "1180591620717411303424", tags: ["a"], meta: { k: 1 } }
 * ```
 */
export function jsonable(value: unknown, options: JsonableOptions = {}): JsonValue {
  const settings: Settings = { excludeNone: options.excludeNone ?? false, bigint: options.bigint ?? "auto", bytes: options.bytes ?? "utf8" };
  const encoded = encode(value, settings, [], new Set());
  return encoded === undefined ? null : encoded;
}
