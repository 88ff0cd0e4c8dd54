/** A content coding Velox can produce. */
export type Coding = "br" | "gzip";

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

interface Entry {
  coding: string;
  q: number;
}

/** Parses `gzip;q=0.8, br, *;q=0`; entries with a malformed token or q-value are dropped. */
function parse(header: string): Entry[] {
  const entries: Entry[] = [];
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.split(";");
    const coding = name.trim().toLowerCase();
    if (coding === "") continue;
    if (!TOKEN.test(coding)) continue;
    let q = 1;
    let valid = true;
    for (const param of params) {
      const eq = param.indexOf("=");
      const key = (eq === -1 ? param : param.slice(0, eq)).trim().toLowerCase();
      if (key !== "q") continue;
      const value = eq === -1 ? "" : param.slice(eq + 1).trim();
      if (!QVALUE.test(value)) valid = false;
      else q = Number(value);
    }
    if (valid) entries.push({ coding: coding === "x-gzip" ? "gzip" : coding, q });
  }
  return entries;
}

/**
 * Picks the content coding of a response from the request's `Accept-Encoding` (RFC 9110 §12.5.3):
 * the acceptable coding of `supported` with the highest q-value, ties going to the order of
 * `supported`; `q=0` excludes a coding, `*` stands for every coding not named, `x-gzip` means
 * `gzip`. Returns `null` for an uncompressed response: no header (no coding is known to be
 * understood), an empty header (identity only), or nothing acceptable — the RFC's answer then is
 * the identity coding, even when `identity;q=0` excludes it, rather than an error.
 *
 * @example
 * ```ts
 * negotiateEncoding("gzip, deflate, br", ["br", "gzip"]);   // "br"
 * negotiateEncoding("gzip;q=1, br;q=0.5", ["br", "gzip"]);  // "gzip"
 * negotiateEncoding("*;q=0", ["br", "gzip"]);               // null
 * ```
 */
export function negotiateEncoding(header: string | string[] | undefined, supported: readonly Coding[]): Coding | null {
  if (header === undefined) return null;
  const text = Array.isArray(header) ? header.join(",") : header;
  if (text === "") return null;
  // The common browser values decide without parsing.
  if (text === "gzip, deflate, br" || text === "gzip, deflate, br, zstd" || text === "br, gzip") return supported[0] ?? null;
  if (text === "gzip" || text === "gzip, deflate") return supported.includes("gzip") ? "gzip" : null;
  const entries = parse(text);
  let star: number | null = null;
  const named = new Map<string, number>();
  for (const { coding, q } of entries) {
    if (coding === "*") star = star === null ? q : Math.max(star, q);
    else named.set(coding, Math.max(named.get(coding) ?? 0, q));
  }
  let best: Coding | null = null;
  let bestQ = 0;
  for (const coding of supported) {
    const q = named.get(coding) ?? star ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  if (best === null) return null;
  // A client that prefers the identity coding over every compressed one gets it.
  const identity = named.get("identity") ?? star;
  if (identity !== null && identity !== undefined && identity > bestQ) return null;
  return best;
}
