import { validateHeaderName, validateHeaderValue } from "node:http";
import { serialize, type SerializeOptions } from "cookie";

/** Response headers by lower-case name; `set-cookie` may hold several values. */
export type HeaderMap = Record<string, string | string[]>;

/** Options of a Set-Cookie header (`httpOnly`, `secure`, `sameSite`, `maxAge` in seconds, ...). */
export type CookieOptions = SerializeOptions;

/**
 * Sets a header after checking its name and value: a CR or LF (response splitting) throws here,
 * where the mistake is, instead of corrupting the response.
 */
export function setHeader(headers: HeaderMap, name: string, value: string | number | readonly string[]): void {
  validateHeaderName(name);
  const values = Array.isArray(value) ? value.map(String) : [String(value)];
  for (const v of values) validateHeaderValue(name, v);
  headers[name.toLowerCase()] = values.length === 1 && !Array.isArray(value) ? values[0]! : values;
}

/** Appends a Set-Cookie header. */
export function appendCookie(headers: HeaderMap, name: string, value: string, options: CookieOptions = {}): void {
  const line = serialize(name, value, { path: "/", ...options });
  validateHeaderValue("set-cookie", line);
  const prev = headers["set-cookie"];
  headers["set-cookie"] = prev === undefined ? [line] : Array.isArray(prev) ? [...prev, line] : [prev, line];
}

/** Merges `extra` into `target` (Set-Cookie values accumulate, other names are replaced). */
export function mergeHeaders(target: HeaderMap, extra: HeaderMap): void {
  for (const key in extra) {
    const value = extra[key]!;
    if (key === "set-cookie" && target[key] !== undefined) {
      const prev = target[key]!;
      target[key] = [...(Array.isArray(prev) ? prev : [prev]), ...(Array.isArray(value) ? value : [value])];
    } else target[key] = value;
  }
}

/**
 * Status-independent header and cookie setters shared by responses and the handler's
 * `response` state.
 */
export abstract class HeaderWriter {
  readonly headers: HeaderMap = {};

  /** Sets (replaces) one header; CR/LF in the name or value throws (no response splitting). */
  setHeader(name: string, value: string | number | readonly string[]): this {
    setHeader(this.headers, name, value);
    return this;
  }

  /** Adds a Set-Cookie header (path defaults to "/"). */
  setCookie(name: string, value: string, options?: CookieOptions): this {
    appendCookie(this.headers, name, value, options);
    return this;
  }

  /** Expires a cookie in the client. */
  deleteCookie(name: string, options: CookieOptions = {}): this {
    appendCookie(this.headers, name, "", { ...options, maxAge: 0, expires: new Date(0) });
    return this;
  }
}
