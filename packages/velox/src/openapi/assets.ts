import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import { ifNoneMatchMatches } from "../responses/entity-tag.ts";
import { VeloxResponse } from "../responses/response.ts";

/**
 * A file served by the docs pages, read once and kept in memory with its gzip form.
 *
 * @example
 * ```ts
 * const asset: Asset = makeAsset(Buffer.from("body{}"), "text/css");
 * asset.etag; // "\"...\""
 * ```
 */
export interface Asset {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
  etag: string;
}

const require = createRequire(import.meta.url);

/** Text assets below this size are not worth compressing. */
const GZIP_MIN = 1024;

/**
 * Builds an asset from bytes: the ETag is a hash of the content, and the gzip form is made once
 * here rather than per request.
 *
 * @example
 * ```ts
 * const asset = makeAsset(Buffer.from("body{}"), "text/css; charset=utf-8");
 * ```
 */
export function makeAsset(body: Buffer, type: string): Asset {
  const compressible = body.length >= GZIP_MIN && /javascript|css|json|html|svg/.test(type);
  return {
    body,
    gzip: compressible ? gzipSync(body, { level: 9 }) : null,
    type,
    etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
  };
}

/**
 * A lazily read file of an installed package (`swagger-ui-dist`, `redoc`): `null` when the
 * package is not installed. Read on first use so apps that never open the docs never pay for it.
 *
 * @example
 * ```ts
 * const bundle = packageAsset("swagger-ui-dist", "swagger-ui-bundle.js", "application/javascript; charset=utf-8");
 * bundle(); // Asset, or null without swagger-ui-dist
 * ```
 */
export function packageAsset(pkg: string, file: string, type: string): () => Asset | null {
  let asset: Asset | null | undefined;
  return () => {
    if (asset !== undefined) return asset;
    try {
      asset = makeAsset(readFileSync(require.resolve(`${pkg}/${file}`)), type);
    } catch {
      asset = null;
    }
    return asset;
  };
}

function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers["accept-encoding"];
  return typeof header === "string" && /\bgzip\b(?!;\s*q=0(?:\.0*)?\b)/i.test(header);
}

/**
 * The response for an asset: 304 when the client has it (`If-None-Match`), gzip when accepted,
 * cached by browsers for a day and revalidated by ETag after that.
 *
 * @example
 * ```ts
 * app.get("/docs/swagger-ui.css", { includeInSchema: false }, ({ req }) => assetResponse(req, css));
 * ```
 */
export function assetResponse(req: IncomingMessage, asset: Asset, maxAge = 86_400): VeloxResponse {
  const gzip = asset.gzip !== null && acceptsGzip(req);
  // Each encoding is its own representation, so it gets its own strong ETag.
  const etag = gzip ? `${asset.etag.slice(0, -1)}-gz"` : asset.etag;
  const headers: Record<string, string> = {
    "content-type": asset.type,
    etag,
    "cache-control": `public, max-age=${maxAge}`,
    "x-content-type-options": "nosniff",
  };
  if (asset.gzip !== null) headers.vary = "accept-encoding";
  const match = req.headers["if-none-match"];
  if (ifNoneMatchMatches(match, etag)) {
    return new VeloxResponse(null, { status: 304, headers });
  }
  if (gzip) {
    headers["content-encoding"] = "gzip";
    return new VeloxResponse(asset.gzip, { headers });
  }
  return new VeloxResponse(asset.body, { headers });
}
