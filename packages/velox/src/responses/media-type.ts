import { extname } from "node:path";

/**
 * Media types of the files web apps commonly serve. Deliberately short: an unknown extension is
 * sent as `application/octet-stream`, which a browser downloads instead of rendering — the safe
 * default for anything Velox cannot name.
 */
const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".htm": "text/html",
  ".css": "text/css",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".json": "application/json",
  ".map": "application/json",
  ".webmanifest": "application/manifest+json",
  ".txt": "text/plain",
  ".md": "text/markdown",
  ".csv": "text/csv",
  ".xml": "application/xml",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".otf": "font/otf",
  ".pdf": "application/pdf",
  ".zip": "application/zip",
  ".gz": "application/gzip",
  ".tar": "application/x-tar",
  ".wasm": "application/wasm",
  ".mp3": "audio/mpeg",
  ".ogg": "audio/ogg",
  ".wav": "audio/wav",
  ".mp4": "video/mp4",
  ".webm": "video/webm",
};

const UTF8_TEXT = /^(?:text\/|application\/(?:json|manifest\+json|xml)$|image\/svg\+xml$)/;

/**
 * The Content-Type for a file name, from its extension; text types get `; charset=utf-8`.
 *
 * @example
 * ```ts
 * mediaTypeFor("report.csv"); // "text/csv; charset=utf-8"
 * mediaTypeFor("photo.PNG");  // "image/png"
 * mediaTypeFor("data.bin");   // "application/octet-stream"
 * ```
 */
export function mediaTypeFor(filename: string): string {
  const type = TYPES[extname(filename).toLowerCase()];
  if (type === undefined) return "application/octet-stream";
  return UTF8_TEXT.test(type) ? `${type}; charset=utf-8` : type;
}
