import { basename } from "node:path";

/** Characters RFC 8187 lets through unencoded in `filename*` (attr-char); the rest is %XX. */
const NOT_ATTR_CHAR = /[^A-Za-z0-9!#$&+.^_`|~-]/gu;

function encodeExtValue(value: string): string {
  return value.replace(NOT_ATTR_CHAR, (ch) => encodeURIComponent(ch).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
}

/**
 * A Content-Disposition header value for a download name. Only the last path component of
 * `filename` is used; the quoted `filename=` keeps printable ASCII (anything else, and `"`, `\`
 * and `%`, become `_`), and when that changed the name the exact UTF-8 name follows as RFC 8187
 * `filename*`. CR, LF and other controls can never reach the header.
 *
 * @example
 * ```ts
 * contentDisposition("report.pdf");        // 'attachment; filename="report.pdf"'
 * contentDisposition("résumé.pdf", "inline");
 * // 'inline; filename="r_sum_.pdf"; filename*=UTF-8\'\'r%C3%A9sum%C3%A9.pdf'
 * ```
 */
export function contentDisposition(filename: string, type: "attachment" | "inline" = "attachment"): string {
  const name = basename(filename.replace(/\\/g, "/"));
  if (name === "" || name === "." || name === "..") return type;
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/gu, "_");
  const header = `${type}; filename="${fallback}"`;
  return fallback === name ? header : `${header}; filename*=UTF-8''${encodeExtValue(name)}`;
}
