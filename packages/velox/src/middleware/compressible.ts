/**
 * Media types worth compressing: text, and the structured-text types of the web. Everything else —
 * images, audio, video, archives, fonts in WOFF, `application/octet-stream` — is either already
 * compressed or of unknown shape, and is sent as it is. Server-Sent Events are text but are only
 * compressed on request (a compressor holds data back until it flushes).
 */
const TEXT_TYPES = new Set([
  "application/json",
  "application/ld+json",
  "application/manifest+json",
  "application/problem+json",
  "application/schema+json",
  "application/geo+json",
  "application/jsonl",
  "application/x-ndjson",
  "application/javascript",
  "application/ecmascript",
  "application/xml",
  "application/xhtml+xml",
  "application/rss+xml",
  "application/atom+xml",
  "application/graphql",
  "application/graphql-response+json",
  "application/x-www-form-urlencoded",
  "application/yaml",
  "application/x-yaml",
  "application/toml",
  "application/wasm",
  "application/vnd.api+json",
  "application/vnd.ms-fontobject",
  "application/x-font-ttf",
  "font/ttf",
  "font/otf",
  "font/collection",
  "image/svg+xml",
  "image/bmp",
  "image/x-icon",
  "image/vnd.microsoft.icon",
]);

/** The media type without parameters, lower case: `Application/JSON; charset=utf-8` → `application/json`. */
export function mediaTypeOf(contentType: string | string[] | undefined): string {
  if (contentType === undefined) return "";
  const text = Array.isArray(contentType) ? contentType[0] ?? "" : contentType;
  const semi = text.indexOf(";");
  return (semi === -1 ? text : text.slice(0, semi)).trim().toLowerCase();
}

/**
 * True when a response of this media type is worth compressing (see above). `text/event-stream`
 * answers false: it is compressed only with the `sse` option, flushed after every event.
 *
 * @example
 * ```ts
 * isCompressible("application/json");      // true
 * isCompressible("application/vnd.x+json"); // true (structured syntax suffix)
 * isCompressible("image/png");             // false
 * ```
 */
export function isCompressible(mediaType: string): boolean {
  if (mediaType === "application/json") return true;
  if (mediaType.startsWith("text/")) return mediaType !== "text/event-stream";
  if (TEXT_TYPES.has(mediaType)) return true;
  return mediaType.endsWith("+json") || mediaType.endsWith("+xml") || mediaType.endsWith("+yaml") || mediaType.endsWith("+text");
}
