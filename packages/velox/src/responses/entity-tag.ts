/**
 * The entity-tags of an `If-None-Match` / `If-Match` header, or `"*"`. A list is split on the
 * commas between tags, not inside them (an opaque tag may contain a comma, RFC 9110 §8.8.3);
 * anything that is not a well-formed tag is skipped.
 *
 * @example
 * ```ts
 * parseEntityTags('W/"a", "b,c"'); // ['W/"a"', '"b,c"']
 * parseEntityTags("*"); // "*"
 * ```
 */
export function parseEntityTags(header: string): string[] | "*" {
  if (header.trim() === "*") return "*";
  const tags: string[] = [];
  let i = 0;
  while (i < header.length) {
    const start = header.indexOf('"', i);
    if (start === -1) break;
    const end = header.indexOf('"', start + 1);
    if (end === -1) break;
    const weak = header.slice(Math.max(0, start - 2), start) === "W/";
    tags.push(`${weak ? "W/" : ""}${header.slice(start, end + 1)}`);
    i = end + 1;
  }
  return tags;
}

const opaque = (tag: string): string => (tag.startsWith("W/") ? tag.slice(2) : tag);

/**
 * True when `If-None-Match` matches `etag` by the weak comparison GET and HEAD use (RFC 9110
 * §13.1.2): `*`, or any listed tag with the same opaque part, `W/` or not.
 *
 * @example
 * ```ts
 * ifNoneMatchMatches('W/"v1", "v2"', '"v1"'); // true
 * ```
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const tags = parseEntityTags(header);
  if (tags === "*") return true;
  const current = opaque(etag);
  return tags.some((tag) => opaque(tag) === current);
}

/**
 * True when two entity-tags match by the strong comparison (RFC 9110 §8.8.3.2): neither is weak
 * and their opaque parts are equal — what `If-Match` and `If-Range` need.
 *
 * @example
 * ```ts
 * strongMatch('"a"', '"a"'); // true
 * strongMatch('W/"a"', '"a"'); // false
 * ```
 */
export function strongMatch(a: string, b: string): boolean {
  return !a.startsWith("W/") && !b.startsWith("W/") && a === b;
}
