import { isUtf8 } from "node:buffer";
import { ProtocolError } from "../errors.ts";
import type { RawSource } from "./extract.ts";

/** Limits for `application/x-www-form-urlencoded` bodies. */
export interface FormLimits {
  /** Most fields accepted (413 beyond). Default 1000. */
  maxFields: number;
  /** Longest value accepted in bytes (413 beyond). Default 1 MiB. */
  maxFieldSize: number;
}

export const defaultFormLimits: FormLimits = { maxFields: 1000, maxFieldSize: 1024 * 1024 };

/** True for `application/x-www-form-urlencoded` (any parameters). */
export function isUrlEncoded(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const semi = contentType.indexOf(";");
  return (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase() === "application/x-www-form-urlencoded";
}

/**
 * Parses a URL-encoded form into raw values (repeated keys become arrays) within `limits`.
 *
 * @example
 * ```ts
 * parseUrlEncoded(Buffer.from("username=ada&scope=a&scope=b"), defaultFormLimits);
 * // { username: "ada", scope: ["a", "b"] }
 * ```
 */
export function parseUrlEncoded(bytes: Buffer, limits: FormLimits): RawSource {
  if (!isUtf8(bytes)) throw new ProtocolError(400, "Form body is not valid UTF-8");
  const out: Record<string, string | string[]> = Object.create(null);
  let count = 0;
  for (const [key, value] of new URLSearchParams(bytes.toString("utf8"))) {
    if (++count > limits.maxFields) throw new ProtocolError(413, `Form has more than ${limits.maxFields} fields`);
    if (Buffer.byteLength(value) > limits.maxFieldSize) throw new ProtocolError(413, `Form field "${key}" is larger than ${limits.maxFieldSize} bytes`);
    if (key === "__proto__") throw new ProtocolError(400, "Form contains a forbidden __proto__ field");
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}
