/** One satisfiable byte range, both ends inclusive, within a representation of `size` bytes. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * What a `Range` header asks of a representation of `size` bytes: one range, `"unsatisfiable"`
 * (answer 416), or `null` when the header must be ignored and the whole body sent (absent, not
 * `bytes`, malformed, or several ranges — RFC 9110 lets a server ignore those).
 *
 * @example
 * ```ts
 * parseRange("bytes=0-99", 1000);  // { start: 0, end: 99 }
 * parseRange("bytes=-100", 1000);  // { start: 900, end: 999 }
 * parseRange("bytes=2000-", 1000); // "unsatisfiable"
 * parseRange("bytes=0-1,5-6", 1000); // null
 * ```
 */
export function parseRange(header: string | undefined, size: number): ByteRange | "unsatisfiable" | null {
  if (header === undefined) return null;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (match === null) return null;
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return null;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== "" && Number(last) < start) return null;
  if (start >= size) return "unsatisfiable";
  return { start, end: last === "" ? size - 1 : Math.min(Number(last), size - 1) };
}
