import type { IncomingMessage } from "node:http";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { assetResponse, makeAsset, packageAsset } from "./assets.ts";

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe("docs assets", () => {
  const asset = makeAsset(Buffer.from("x".repeat(5000)), "application/javascript; charset=utf-8");

  it("sends gzip when accepted, with its own ETag", () => {
    const plain = assetResponse(req({}), asset);
    const zipped = assetResponse(req({ "accept-encoding": "br, gzip" }), asset);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(zipped.body as Buffer).toString()).toBe("x".repeat(5000));
    expect(zipped.headers.etag).not.toBe(plain.headers.etag);
    expect(zipped.headers.vary).toBe("accept-encoding");
    expect(assetResponse(req({ "accept-encoding": "gzip;q=0" }), asset).headers["content-encoding"]).toBeUndefined();
  });

  it("answers 304 to a matching If-None-Match", () => {
    const etag = assetResponse(req({}), asset).headers.etag as string;
    const response = assetResponse(req({ "if-none-match": `"other", ${etag}` }), asset);
    expect(response.status).toBe(304);
    expect(response.body).toBeNull();
    expect(assetResponse(req({ "if-none-match": '"other"' }), asset).status).toBe(200);
  });

  it("does not compress small files", () => {
    expect(makeAsset(Buffer.from("tiny"), "text/css").gzip).toBeNull();
  });

  it("reads installed packages and reports missing ones as null", () => {
    expect(packageAsset("swagger-ui-dist", "swagger-ui.css", "text/css")()?.body.length).toBeGreaterThan(10_000);
    expect(packageAsset("velox-no-such-package", "x.js", "text/javascript")()).toBeNull();
  });
});
