/** What may stay as is in a Location: URI syntax (RFC 3986 unreserved and reserved) and `%`. */
const OUTSIDE_URI_SYNTAX = /[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/g;

/**
 * A Location header value from a request target that is already percent-encoded (`req.url`):
 * existing escapes stay exactly as the client sent them — re-encoding would turn `%2F` into
 * `%252F` and change what the query means — and only characters outside URI syntax are escaped,
 * `\` above all, which browsers read as `/` (`/\evil.example` would leave the site).
 *
 * @example
 * ```ts
 * locationFromTarget("/items?next=%2Fhome"); // "/items?next=%2Fhome"
 * locationFromTarget("/\\evil.example");     // "/%5Cevil.example"
 * ```
 */
export function locationFromTarget(target: string): string {
  return target.replace(OUTSIDE_URI_SYNTAX, (c) =>
    c.charCodeAt(0) > 0x7f ? encodeURIComponent(c) : `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}
