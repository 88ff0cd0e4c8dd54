import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FileResponse, JSONResponse, Velox } from "../../src/index.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";
import { assertServing, get, httpRequest, RawConnection, rawRequest, type RawResponse } from "./raw-http.ts";

const head = (port: number, path: string, headers: Record<string, string> = {}) => rawRequest(port, httpRequest("HEAD", path, headers), { head: true });
const withoutDate = (res: RawResponse) => Object.fromEntries(Object.entries(res.headers).filter(([name]) => name !== "date"));
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("FileResponse over a real socket", () => {
  let dir: string;
  let live: LiveServer;
  let data: Buffer;
  let big: Buffer;
  let lastModified: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "velox-file-"));
    data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
    writeFileSync(join(dir, "data.bin"), data);
    // A whole-second mtime in the past, so Last-Modified is exact and stable.
    const mtime = new Date("2024-05-01T12:00:00Z");
    utimesSync(join(dir, "data.bin"), mtime, mtime);
    lastModified = mtime.toUTCString();
    writeFileSync(join(dir, "hello.txt"), "hello world\n");
    writeFileSync(join(dir, "empty.txt"), "");
    big = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4) big.writeUInt32LE(i, i);
    writeFileSync(join(dir, "big.bin"), big);

    const app = new Velox({ logger: false });
    app.get("/health", {}, () => ({ ok: true }));
    app.get("/data", {}, () => new FileResponse(join(dir, "data.bin")));
    app.get("/hello", {}, () => new FileResponse(join(dir, "hello.txt")));
    app.get("/empty", {}, () => new FileResponse(join(dir, "empty.txt")));
    app.get("/big", {}, () => new FileResponse(join(dir, "big.bin")));
    app.get("/download", {}, () => new FileResponse(join(dir, "data.bin"), { filename: 'résumé "final"\r\n.pdf' }));
    app.get("/inline", {}, () => new FileResponse(join(dir, "hello.txt"), { filename: "notes.txt", disposition: "inline" }));
    app.get("/typed", {}, () => new FileResponse(join(dir, "data.bin"), { mediaType: "application/x-custom", headers: { "cache-control": "no-store" } }));
    app.get("/missing", {}, () => new FileResponse(join(dir, "nope.bin")));
    app.get("/directory", {}, () => new FileResponse(dir));
    live = await serveForTest(app);
  });
  afterAll(async () => {
    await live.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => assertServing(live.port));

  it("streams the file with its length, type and validators", async () => {
    const res = await get(live.port, "/data");
    expect(res.status).toBe(200);
    expect(res.body.equals(data)).toBe(true);
    expect(res.headers["content-length"]).toBe("1000");
    expect(res.headers["content-type"]).toBe("application/octet-stream");
    expect(res.headers["last-modified"]).toBe(lastModified);
    expect(res.headers.etag).toMatch(/^W\/"3e8-[0-9a-f]+"$/);
    expect(res.headers["accept-ranges"]).toBe("bytes");
    expect(res.headers["transfer-encoding"]).toBeUndefined();
    const text = await get(live.port, "/hello");
    expect(text.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(text.text()).toBe("hello world\n");
  });

  it("streams an 8 MiB file intact", async () => {
    const res = await get(live.port, "/big");
    expect(res.headers["content-length"]).toBe(String(big.length));
    expect(sha256(res.body)).toBe(sha256(big));
  });

  it("sends an empty file as an empty 200", async () => {
    const res = await get(live.port, "/empty");
    expect(res.status).toBe(200);
    expect(res.headers["content-length"]).toBe("0");
    expect(res.body.length).toBe(0);
  });

  it("answers HEAD with the GET headers and no body", async () => {
    const got = await get(live.port, "/data");
    const res = await head(live.port, "/data");
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(0);
    expect(withoutDate(res)).toEqual(withoutDate(got));
  });

  it("takes the media type and extra headers from the options", async () => {
    const res = await get(live.port, "/typed");
    expect(res.headers["content-type"]).toBe("application/x-custom");
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  it("names downloads with a safely encoded Content-Disposition", async () => {
    const res = await get(live.port, "/download");
    expect(res.headers["content-disposition"]).toBe(
      "attachment; filename=\"r_sum_ _final___.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22%0D%0A.pdf",
    );
    expect(res.headers["content-type"]).toBe("application/pdf");
    const inline = await get(live.port, "/inline");
    expect(inline.headers["content-disposition"]).toBe('inline; filename="notes.txt"');
  });

  describe("conditional requests", () => {
    it("If-None-Match with the current ETag → 304 without a body", async () => {
      const { headers } = await get(live.port, "/data");
      for (const inm of [headers.etag!, headers.etag!.slice(2), `"other", ${headers.etag}`, "*"]) {
        const res = await get(live.port, "/data", { "If-None-Match": inm });
        expect(res.status).toBe(304);
        expect(res.body.length).toBe(0);
        expect(res.headers.etag).toBe(headers.etag);
        expect(res.headers["last-modified"]).toBe(lastModified);
        expect(res.headers["content-length"]).toBeUndefined();
        expect(res.headers["content-type"]).toBeUndefined();
      }
    });

    it("If-None-Match with another ETag → 200", async () => {
      const res = await get(live.port, "/data", { "If-None-Match": 'W/"nope"' });
      expect(res.status).toBe(200);
      expect(res.body.equals(data)).toBe(true);
    });

    it("If-Modified-Since at or after Last-Modified → 304; before, or not a date → 200", async () => {
      expect((await get(live.port, "/data", { "If-Modified-Since": lastModified })).status).toBe(304);
      expect((await get(live.port, "/data", { "If-Modified-Since": new Date().toUTCString() })).status).toBe(304);
      expect((await get(live.port, "/data", { "If-Modified-Since": "Tue, 30 Apr 2024 12:00:00 GMT" })).status).toBe(200);
      expect((await get(live.port, "/data", { "If-Modified-Since": "yesterday" })).status).toBe(200);
    });

    it("If-None-Match wins over If-Modified-Since", async () => {
      const res = await get(live.port, "/data", { "If-None-Match": '"other"', "If-Modified-Since": lastModified });
      expect(res.status).toBe(200);
    });

    it("HEAD honours the validators too", async () => {
      expect((await head(live.port, "/data", { "If-Modified-Since": lastModified })).status).toBe(304);
    });
  });

  describe("range requests", () => {
    it.each([
      ["bytes=0-99", 0, 99],
      ["bytes=990-", 990, 999],
      ["bytes=-10", 990, 999],
      ["bytes=500-5000", 500, 999],
      ["bytes=0-0", 0, 0],
    ])("%s → 206 with bytes %i-%i", async (range, start, end) => {
      const res = await get(live.port, "/data", { Range: range });
      expect(res.status).toBe(206);
      expect(res.headers["content-range"]).toBe(`bytes ${start}-${end}/1000`);
      expect(res.headers["content-length"]).toBe(String(end - start + 1));
      expect(res.body.equals(data.subarray(start, end + 1))).toBe(true);
    });

    it.each([["bytes=1000-"], ["bytes=5000-6000"], ["bytes=-0"]])("%s → 416 with the size", async (range) => {
      const res = await get(live.port, "/data", { Range: range });
      expect(res.status).toBe(416);
      expect(res.headers["content-range"]).toBe("bytes */1000");
      expect(res.json()).toEqual({ detail: "Range Not Satisfiable" });
    });

    it.each([["bytes=0-1,5-6"], ["bytes=9-2"], ["pages=1-2"], ["bytes=abc"]])("%s is ignored: 200 with the whole file", async (range) => {
      const res = await get(live.port, "/data", { Range: range });
      expect(res.status).toBe(200);
      expect(res.body.equals(data)).toBe(true);
    });

    it("a range of a large file streams only that range", async () => {
      const res = await get(live.port, "/big", { Range: "bytes=4194304-4194403" });
      expect(res.status).toBe(206);
      expect(res.body.equals(big.subarray(4194304, 4194404))).toBe(true);
    });

    it("HEAD with a range → 206 headers without a body", async () => {
      const res = await head(live.port, "/data", { Range: "bytes=0-9" });
      expect(res.status).toBe(206);
      expect(res.headers["content-length"]).toBe("10");
      expect(res.body.length).toBe(0);
    });

    it("If-Range: the Last-Modified date keeps the range, a weak ETag or an old date drops it", async () => {
      const { headers } = await get(live.port, "/data");
      expect((await get(live.port, "/data", { Range: "bytes=0-9", "If-Range": lastModified })).status).toBe(206);
      expect((await get(live.port, "/data", { Range: "bytes=0-9", "If-Range": headers.etag! })).status).toBe(200);
      expect((await get(live.port, "/data", { Range: "bytes=0-9", "If-Range": "Tue, 30 Apr 2024 12:00:00 GMT" })).status).toBe(200);
    });

    it("a matching If-None-Match wins over Range", async () => {
      const { headers } = await get(live.port, "/data");
      expect((await get(live.port, "/data", { Range: "bytes=0-9", "If-None-Match": headers.etag! })).status).toBe(304);
    });
  });

  it("a missing file or a directory → 404 JSON", async () => {
    for (const path of ["/missing", "/directory"]) {
      const res = await get(live.port, path);
      expect(res.status).toBe(404);
      expect(res.json()).toEqual({ detail: "Not Found" });
    }
  });

  it.runIf(existsSync("/proc/self/fd"))("clients that hang up mid-download leave no open file behind", async () => {
    const openFiles = () => readdirSync("/proc/self/fd").length;
    await get(live.port, "/big");
    const before = openFiles();
    for (let i = 0; i < 20; i++) {
      const conn = await RawConnection.open(live.port);
      conn.write(httpRequest("GET", "/big"));
      await new Promise<void>((resolve) => conn.socket.once("data", () => resolve()));
      conn.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(openFiles()).toBeLessThanOrEqual(before + 2);
  });

  describe("under middleware", () => {
    let withMiddleware: LiveServer;
    beforeAll(async () => {
      const app = new Velox({ logger: false });
      app.use(async (ctx, next) => {
        await next();
        ctx.result?.setHeader("x-middleware", "1");
      });
      app.exceptionHandler(404, () => new JSONResponse({ detail: "custom 404" }, { status: 404 }));
      app.get("/prepared/{name}", {}, (ctx) => new FileResponse(join(dir, String(ctx.req.url).split("/").pop()!)).prepare(ctx.req));
      withMiddleware = await serveForTest(app);
    });
    afterAll(() => withMiddleware.close());

    it("prepare() raises 404 and 416 from the handler, through exception handlers", async () => {
      const missing = await get(withMiddleware.port, "/prepared/nope.bin");
      expect(missing.status).toBe(404);
      expect(missing.json()).toEqual({ detail: "custom 404" });
      const range = await get(withMiddleware.port, "/prepared/data.bin", { Range: "bytes=5000-" });
      expect(range.status).toBe(416);
      expect(range.headers["content-range"]).toBe("bytes */1000");
    });

    it("headers middleware adds after the handler reach the file response", async () => {
      const res = await get(withMiddleware.port, "/prepared/data.bin");
      expect(res.status).toBe(200);
      expect(res.headers["x-middleware"]).toBe("1");
      expect(res.body.equals(data)).toBe(true);
      expect(statSync(join(dir, "data.bin")).size).toBe(1000);
    });
  });
});
