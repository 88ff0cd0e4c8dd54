import { request } from "node:http";
import { randomBytes } from "node:crypto";
import { brotliDecompressSync, createGunzip, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { StreamingResponse, Velox, VeloxResponse } from "../../src/index.ts";
import { compress, gzip } from "../../src/middleware/compress.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";
import { install } from "./install.ts";
import { send } from "./http-get.ts";

const Row = z.object({ id: z.int(), name: z.string(), tags: z.array(z.string()) });
const rows = Array.from({ length: 120 }, (_, i) => ({ id: i, name: `row number ${i}`, tags: ["alpha", "beta", "gamma"] }));
const big = JSON.stringify(rows);

let producedChunks = 0;
let streamFinished = false;
let releaseEvent: (() => void) | null = null;

function buildApp(): Velox {
  const app = new Velox({ logger: false });
  app.get("/rows", { response: z.array(Row) }, () => rows);
  app.get("/small", {}, () => ({ hello: "world" }));
  app.get("/png", {}, () => new VeloxResponse(Buffer.alloc(5000, 1), { headers: { "content-type": "image/png" } }));
  app.get("/encoded", {}, () => new VeloxResponse(Buffer.alloc(5000, 1), { headers: { "content-type": "application/json", "content-encoding": "identity" } }));
  app.get("/no-transform", {}, () => new VeloxResponse(big, { headers: { "content-type": "application/json", "cache-control": "public, no-transform" } }));
  app.get("/etag", {}, () => new VeloxResponse(big, { headers: { "content-type": "application/json", etag: '"abc"', vary: "Accept-Language" } }));
  app.get("/huge", {}, () => new VeloxResponse("x".repeat(300_000), { headers: { "content-type": "text/plain" } }));
  app.get("/stream", {}, () => new StreamingResponse((function* () {
    for (let i = 0; i < 200; i++) yield `line ${i} ${"-".repeat(50)}\n`;
  })(), { headers: { "content-type": "text/plain; charset=utf-8" } }));
  app.get("/endless", {}, () => new StreamingResponse((async function* () {
    try {
      for (;;) {
        producedChunks++;
        yield randomBytes(12_000).toString("base64");
      }
    } finally {
      streamFinished = true;
    }
  })(), { headers: { "content-type": "text/plain" } }));
  app.get("/events", {}, () => new StreamingResponse((async function* () {
    for (let i = 0; i < 3; i++) {
      yield `data: event ${i}\n\n`;
      await new Promise<void>((resolve) => (releaseEvent = resolve));
    }
  })(), { headers: { "content-type": "text/event-stream" } }));
  return app;
}

describe("compress over a real socket", () => {
  let live: LiveServer;
  let sseLive: LiveServer;
  beforeAll(async () => {
    live = await serveForTest(install(buildApp(), compress()));
    sseLive = await serveForTest(install(buildApp(), gzip({ sse: true })));
  });
  afterAll(async () => {
    await live.close();
    await sseLive.close();
  });

  it("gzips a JSON response for gzip clients, with Vary and the compressed length", async () => {
    const res = await send(`${live.url}/rows`, { headers: { "accept-encoding": "gzip" } });
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(res.headers.vary).toBe("Accept-Encoding");
    expect(Number(res.headers["content-length"])).toBe(res.body.length);
    expect(res.body.length).toBeLessThan(big.length / 4);
    expect(gunzipSync(res.body).toString()).toBe(big);
  });

  it("prefers Brotli for a browser's Accept-Encoding and honours q-values", async () => {
    const browser = await send(`${live.url}/rows`, { headers: { "accept-encoding": "gzip, deflate, br, zstd" } });
    expect(browser.headers["content-encoding"]).toBe("br");
    expect(brotliDecompressSync(browser.body).toString()).toBe(big);
    const weighted = await send(`${live.url}/rows`, { headers: { "accept-encoding": "br;q=0.5, gzip;q=0.8" } });
    expect(weighted.headers["content-encoding"]).toBe("gzip");
  });

  it("sends identity, still with Vary, when nothing is acceptable or no header is sent", async () => {
    for (const headers of [{ "accept-encoding": "gzip;q=0, br;q=0" }, { "accept-encoding": "*;q=0" }, {}, { "accept-encoding": "identity" }] as Record<string, string>[]) {
      const res = await send(`${live.url}/rows`, { headers });
      expect(res.headers["content-encoding"]).toBeUndefined();
      expect(res.headers.vary).toBe("Accept-Encoding");
      expect(res.body.toString()).toBe(big);
    }
  });

  it("leaves small bodies, compressed media types, encoded and no-transform responses alone", async () => {
    const ae = { "accept-encoding": "gzip, br" };
    const small = await send(`${live.url}/small`, { headers: ae });
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(small.headers.vary).toBeUndefined();
    const png = await send(`${live.url}/png`, { headers: ae });
    expect(png.headers["content-encoding"]).toBeUndefined();
    expect(png.body.length).toBe(5000);
    const encoded = await send(`${live.url}/encoded`, { headers: ae });
    expect(encoded.headers["content-encoding"]).toBe("identity");
    const noTransform = await send(`${live.url}/no-transform`, { headers: ae });
    expect(noTransform.headers["content-encoding"]).toBeUndefined();
    const missing = await send(`${live.url}/nope`, { headers: ae });
    expect(missing.status).toBe(404);
    expect(missing.headers["content-encoding"]).toBeUndefined();
  });

  it("weakens a strong ETag and appends to an existing Vary", async () => {
    const res = await send(`${live.url}/etag`, { headers: { "accept-encoding": "gzip" } });
    expect(res.headers.etag).toBe('W/"abc"');
    expect(res.headers.vary).toBe("Accept-Language, Accept-Encoding");
  });

  it("answers HEAD with the headers of the compressed GET", async () => {
    const get = await send(`${live.url}/rows`, { headers: { "accept-encoding": "gzip" } });
    const head = await send(`${live.url}/rows`, { method: "HEAD", headers: { "accept-encoding": "gzip" } });
    expect(head.headers["content-encoding"]).toBe("gzip");
    expect(head.headers["content-length"]).toBe(get.headers["content-length"]);
    expect(head.body.length).toBe(0);
  });

  it("compresses a large body off the event loop's turn", async () => {
    const res = await send(`${live.url}/huge`, { headers: { "accept-encoding": "br" } });
    expect(res.headers["content-encoding"]).toBe("br");
    expect(brotliDecompressSync(res.body).toString()).toBe("x".repeat(300_000));
  });

  it("compresses a streaming response chunk by chunk (chunked, no Content-Length)", async () => {
    const res = await send(`${live.url}/stream`, { headers: { "accept-encoding": "gzip" } });
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(res.headers["transfer-encoding"]).toBe("chunked");
    expect(res.headers["content-length"]).toBeUndefined();
    const text = gunzipSync(res.body).toString();
    expect(text.split("\n")).toHaveLength(201);
  });

  it("keeps backpressure: a client that does not read pauses the producer; closing it ends the producer", async () => {
    producedChunks = 0;
    streamFinished = false;
    const req = request(`${live.url}/endless`, { headers: { "accept-encoding": "gzip" } });
    const res = await new Promise<import("node:http").IncomingMessage>((resolve) => req.on("response", resolve).end());
    res.pause();
    // Kernel socket buffers take a few MiB before the producer stops: wait until it has.
    let last = -1;
    const deadline = Date.now() + 8000;
    while (producedChunks !== last && Date.now() < deadline) {
      last = producedChunks;
      await new Promise((r) => setTimeout(r, 400));
    }
    expect(producedChunks).toBe(last);
    // Each chunk is 16 KB of text; an unpaused producer would make thousands in these seconds.
    expect(producedChunks).toBeLessThan(1500);
    req.destroy();
    await expect.poll(() => streamFinished, { timeout: 2000 }).toBe(true);
  });

  it("sends SSE uncompressed by default", async () => {
    const pending = send(`${live.url}/events`, { headers: { "accept-encoding": "gzip" } });
    for (let i = 0; i < 3; i++) {
      await expect.poll(() => releaseEvent !== null).toBe(true);
      const release = releaseEvent!;
      releaseEvent = null;
      release();
    }
    const res = await pending;
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.body.toString()).toContain("data: event 2");
  });

  it("with sse: true, gzips events and flushes each one so it arrives before the next is produced", async () => {
    const req = request(`${sseLive.url}/events`, { headers: { "accept-encoding": "gzip" } });
    const res = await new Promise<import("node:http").IncomingMessage>((resolve) => req.on("response", resolve).end());
    expect(res.headers["content-encoding"]).toBe("gzip");
    const gunzip = createGunzip();
    res.pipe(gunzip);
    let text = "";
    gunzip.on("data", (c: Buffer) => (text += c.toString()));
    for (let i = 0; i < 3; i++) {
      // The producer waits for the release: the event can only be here if it was flushed.
      await expect.poll(() => text.includes(`data: event ${i}\n\n`), { timeout: 2000 }).toBe(true);
      await expect.poll(() => releaseEvent !== null).toBe(true);
      const release = releaseEvent!;
      releaseEvent = null;
      release();
    }
    await new Promise((r) => gunzip.on("end", r));
  });
});

describe("compress options", () => {
  it("rejects bad settings at registration", () => {
    expect(() => compress({ encodings: [] })).toThrow(/encodings/);
    expect(() => compress({ encodings: ["deflate" as "gzip"] })).toThrow(/encodings/);
    expect(() => compress({ gzipLevel: 10 })).toThrow(/gzipLevel/);
    expect(() => compress({ brotliQuality: -1 })).toThrow(/brotliQuality/);
    expect(() => compress({ minimumSize: 1.5 })).toThrow(/minimumSize/);
  });
});
