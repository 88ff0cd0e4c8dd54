import type { HeaderMap } from "../responses/headers.ts";

/**
 * Adds field names to a response's `Vary` header without duplicates (case-insensitive); a `Vary: *`
 * already there covers everything and is left alone.
 *
 * @example
 * ```ts
 * const headers: HeaderMap = { vary: "Accept" };
 * appendVary(headers, "Accept-Encoding", "accept");
 * headers.vary; // "Accept, Accept-Encoding"
 * ```
 */
export function appendVary(headers: HeaderMap, ...names: string[]): void {
  const current = headers.vary;
  if (current === undefined || current === "") {
    headers.vary = names.length === 1 ? names[0]! : [...new Set(names)].join(", ");
    return;
  }
  const text = Array.isArray(current) ? current.join(", ") : current;
  const present = new Set(text.split(",").map((s) => s.trim().toLowerCase()));
  if (present.has("*")) return;
  let next = text;
  for (const name of names) {
    const lower = name.toLowerCase();
    if (present.has(lower)) continue;
    present.add(lower);
    next += `, ${name}`;
  }
  headers.vary = next;
}
