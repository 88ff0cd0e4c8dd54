/**
 * Hostile multipart/form-data over a real socket: the known CVEs of busboy/dicer, multer,
 * Starlette and python-multipart, every cap, and temp-file cleanup on every path.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { UploadFile, Velox, type MultipartOptions } from "../../src/index.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";
import { assertServing, RawConnection, rawRequest } from "./raw-http.ts";
import { BOUNDARY, eventually, KiB, leftovers, MiB, multipartBody, multipartHead, trackSockets, type PartSpec } from "../uploads/multipart-wire.ts";

interface UploadServer {
  port: number;
  server: Server;
  tempDir: string;
  calls: number;
  close(): Promise<void>;
}

/** An app whose upload routes spool to a temp dir of their own, so leftovers are exact. */
async function startServer(options: MultipartOptions = {}): Promise<UploadServer> {
  const tempDir = await mkdtemp(join(tmpdir(), "velox-mp-test-"));
  const multipart: MultipartOptions = { spoolThreshold: 64 * KiB, ...options, tempDir };
  const state = { calls: 0 };
  const app = new Velox({ logger: false });
  app.get("/health", {}, () => ({ ok: true }));
  const one = (v: unknown) => (v instanceof UploadFile ? { filename: v.filename, size: v.size } : v);
  app.post("/upload", { form: z.record(z.string(), z.unknown()), multipart }, ({ form }) => {
    state.calls++;
    return Object.fromEntries(Object.entries(form).map(([name, value]) => [name, Array.isArray(value) ? value.map(one) : one(value)]));
  });
  const live: LiveServer = await serveForTest(app);
  return {
    port: live.port,
    server: live.server,
    tempDir,
    get calls() {
      return state.calls;
    },
    close: async () => {
      await live.close();
      await rm(tempDir, { recursive: true, force: true });
    },
  };
}

function post(parts: PartSpec[], options: Parameters<typeof multipartBody>[1] = {}, path = "/upload"): Buffer {
  const body = multipartBody(parts, options);
  return Buffer.concat([Buffer.from(multipartHead(path, body.length, options.boundary ?? BOUNDARY)), body]);
}

describe("multipart/form-data against hostile input", () => {
  let live: UploadServer;
  let sockets: ReturnType<typeof trackSockets>;
  beforeAll(async () => {
    live = await startServer();
    sockets = trackSockets(live.server);
  });
  afterAll(() => live.close());
  afterEach(async () => {
    await assertServing(live.port);
    await eventually(async () => (await leftovers(live.tempDir)).length === 0, "temp files to be removed");
  });

  it("reads fields, repeated fields and files", async () => {
    const res = await rawRequest(live.port, post([
      { name: "title", body: "Ada ✓" },
      { name: "tag", body: "a" },
      { name: "tag", body: "b" },
      { name: "doc", filename: "notes.txt", contentType: "text/plain", body: "hello" },
      { name: "big", filename: "big.bin", body: Buffer.alloc(200 * KiB, 7) },
    ]));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ title: "Ada ✓", tag: ["a", "b"], doc: { filename: "notes.txt", size: 5 }, big: { filename: "big.bin", size: 200 * KiB } });
  });

  it("CVE-2022-24434 (dicer): a part header starting with a space is a 400, not a crash", async () => {
    const res = await rawRequest(live.port, post([{ rawHeaders: ' Content-Disposition: form-data; name="a"', body: "x" }]));
    expect(res.status).toBe(400);
    expect(res.json().detail).toMatch(/Content-Disposition/);
  });

  it("CVE-2025-48997 (multer): an empty field name is a 400", async () => {
    const res = await rawRequest(live.port, post([{ name: "", body: "x" }]));
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ detail: "A multipart part has no field name" });
    const unnamed = await rawRequest(live.port, post([{ filename: "a.txt", body: "x" }]));
    expect(unnamed.status).toBe(400);
  });

  it("CVE-2025-47935 (multer): a stream left unclosed by a client that goes away leaks no file and no descriptor", async () => {
    const fds = async () => (await readdir("/proc/self/fd")).length;
    const before = await fds();
    const conn = await RawConnection.open(live.port);
    const head = multipartBody([{ name: "file", filename: "a.bin", body: Buffer.alloc(512 * KiB, 1) }], { close: false });
    conn.write(multipartHead("/upload", head.length + MiB));
    conn.write(head);
    await eventually(async () => (await leftovers(live.tempDir)).length === 1, "the upload to spool to disk");
    conn.destroy();
    await eventually(async () => (await leftovers(live.tempDir)).length === 0, "the temp file to be removed");
    await eventually(async () => (await fds()) <= before, "the temp file's and the socket's descriptors to close");
  });

  it("a body that ends without its closing boundary (truncated) is a 400", async () => {
    const full = multipartBody([{ name: "file", filename: "a.bin", body: Buffer.alloc(100 * KiB, 1) }]);
    const truncated = full.subarray(0, full.length - 10);
    const res = await rawRequest(live.port, Buffer.concat([Buffer.from(multipartHead("/upload", truncated.length)), truncated]));
    expect(res.status).toBe(400);
    expect(res.json().detail).toMatch(/Malformed multipart body/);
  });

  it("a body that never reaches a boundary is a 400", async () => {
    const body = Buffer.from("just some bytes without any boundary");
    const res = await rawRequest(live.port, Buffer.concat([Buffer.from(multipartHead("/upload", body.length)), body]));
    expect(res.status).toBe(400);
  });

  it("CVE-2024-47874 (Starlette): a text field without a filename is capped while it arrives", async () => {
    const conn = await RawConnection.open(live.port);
    const total = 64 * MiB;
    conn.write(multipartHead("/upload", total));
    conn.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="flood"\r\n\r\n`);
    const chunk = Buffer.alloc(64 * KiB, 0x61);
    let sent = 0;
    const pump = () => {
      while (sent < total && !conn.isClosed) {
        sent += chunk.length;
        if (!conn.socket.write(chunk)) return void conn.socket.once("drain", pump);
      }
    };
    conn.socket.on("error", () => undefined);
    pump();
    const res = await conn.nextResponse();
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ detail: `Form field "flood" is larger than ${MiB} bytes` });
    expect(res.headers.connection).toBe("close");
    await conn.closed();
    expect(sockets.readWhenAnswered()).toBeLessThan(MiB + 256 * KiB);
  });

  it("many text fields together are capped at twice the field cap", async () => {
    const parts = Array.from({ length: 3 }, (_, i) => ({ name: `f${i}`, body: "x".repeat(900 * KiB) }));
    const res = await rawRequest(live.port, post(parts));
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ detail: `Form fields are larger than ${2 * MiB} bytes together` });
  });

  it("more than 1000 fields is a 413", async () => {
    const parts = Array.from({ length: 1001 }, (_, i) => ({ name: `f${i}`, body: "1" }));
    const res = await rawRequest(live.port, post(parts));
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ detail: "Form has more than 1000 fields" });
  });

  it("more than 10 files is a 413", async () => {
    const parts = Array.from({ length: 11 }, (_, i) => ({ name: "file", filename: `f${i}.txt`, body: "1" }));
    const res = await rawRequest(live.port, post(parts));
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ detail: "Form has more than 10 files" });
  });

  it("a file over 10 MiB is a 413 after reading at most the cap plus a chunk, never truncated", async () => {
    const conn = await RawConnection.open(live.port);
    const total = 40 * MiB;
    conn.write(multipartHead("/upload", total));
    conn.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n`);
    const chunk = Buffer.alloc(64 * KiB, 0x62);
    let sent = 0;
    conn.socket.on("error", () => undefined);
    const pump = () => {
      while (sent < total && !conn.isClosed) {
        sent += chunk.length;
        if (!conn.socket.write(chunk)) return void conn.socket.once("drain", pump);
      }
    };
    pump();
    const res = await conn.nextResponse({ timeoutMs: 10_000 });
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ detail: `File "file" is larger than ${10 * MiB} bytes` });
    await conn.closed();
    expect(sockets.readWhenAnswered()).toBeLessThan(10 * MiB + 512 * KiB);
  });

  it("unbounded part headers are a 413 after reading at most 8 KiB plus a chunk", async () => {
    const conn = await RawConnection.open(live.port);
    conn.socket.on("error", () => undefined);
    conn.write(multipartHead("/upload", 32 * MiB));
    conn.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\nX-Flood: `);
    for (let i = 0; i < 16; i++) conn.write("h".repeat(64 * KiB));
    const res = await conn.nextResponse();
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ detail: `A multipart part has headers larger than ${8 * KiB} bytes` });
    await conn.closed();
    expect(sockets.readWhenAnswered()).toBeLessThan(8 * KiB + 256 * KiB);
  });

  it("a header block just over 8 KiB is a 413, one of exactly 8 KiB is read", async () => {
    const headerOf = (size: number) => {
      const base = 'Content-Disposition: form-data; name="a"\r\nX-Pad: ';
      return base + "p".repeat(size - base.length);
    };
    const over = await rawRequest(live.port, post([{ rawHeaders: headerOf(8 * KiB + 1), body: "x" }]));
    expect(over.status).toBe(413);
    const exact = await rawRequest(live.port, post([{ rawHeaders: headerOf(8 * KiB), body: "x" }]));
    expect(exact.status).toBe(200);
    expect(exact.json()).toEqual({ a: "x" });
  });

  it("a preamble flood is a 413", async () => {
    const res = await rawRequest(live.port, post([{ name: "a", body: "x" }], { preamble: "p".repeat(512 * KiB) }));
    expect(res.status).toBe(413);
    expect(res.json().detail).toMatch(/outside its parts/);
  });

  it("an epilogue flood is a 413", async () => {
    const res = await rawRequest(live.port, post([{ name: "a", body: "x" }], { epilogue: "e".repeat(512 * KiB) }));
    expect(res.status).toBe(413);
    expect(res.json().detail).toMatch(/outside its parts/);
  });

  it("a small preamble and epilogue (RFC 2046) are fine", async () => {
    const res = await rawRequest(live.port, post([{ name: "a", body: "x" }], { preamble: "This is a preamble.", epilogue: "bye\r\n" }));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ a: "x" });
  });

  it("a client filename is never a path: only its last segment is kept", async () => {
    const res = await rawRequest(live.port, post([{ name: "f", filename: "../../../etc/passwd", body: Buffer.alloc(100 * KiB) }]));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ f: { filename: "passwd", size: 100 * KiB } });
  });

  it("a missing or oversized boundary and invalid UTF-8 text are 400s", async () => {
    const body = multipartBody([{ name: "a", body: "x" }]);
    const noBoundary = await rawRequest(live.port, Buffer.concat([Buffer.from(`POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data\r\nContent-Length: ${body.length}\r\n\r\n`), body]));
    expect(noBoundary.status).toBe(400);
    const long = "b".repeat(71);
    const longBody = multipartBody([{ name: "a", body: "x" }], { boundary: long });
    const tooLong = await rawRequest(live.port, Buffer.concat([Buffer.from(multipartHead("/upload", longBody.length, long)), longBody]));
    expect(tooLong.status).toBe(400);
    const bad = await rawRequest(live.port, post([{ name: "a", body: Buffer.from([0xff, 0xfe]) }]));
    expect(bad.status).toBe(400);
    expect(bad.json()).toEqual({ detail: 'Form field "a" is not valid UTF-8' });
    const proto = await rawRequest(live.port, post([{ name: "__proto__", body: "x" }]));
    expect(proto.status).toBe(400);
  });
});

describe("multipart body caps", () => {
  it("refuses a declared Content-Length over the total cap before reading", async () => {
    const live = await startServer({ maxBodySize: MiB });
    const sockets = trackSockets(live.server);
    try {
      const conn = await RawConnection.open(live.port);
      conn.write(multipartHead("/upload", MiB + 1));
      const res = await conn.nextResponse();
      expect(res.status).toBe(413);
      expect(res.json()).toEqual({ detail: `Request body is larger than ${MiB} bytes` });
      await conn.closed();
      expect(sockets.readWhenAnswered()).toBeLessThan(KiB);
    } finally {
      await live.close();
    }
  });

  it("refuses a chunked body as soon as it passes the total cap", async () => {
    const live = await startServer({ maxBodySize: 256 * KiB });
    try {
      const conn = await RawConnection.open(live.port);
      conn.socket.on("error", () => undefined);
      conn.write(multipartHead("/upload", null));
      const body = multipartBody([{ name: "file", filename: "a", body: Buffer.alloc(300 * KiB) }], { close: false });
      conn.write(`${body.length.toString(16)}\r\n`);
      conn.write(body);
      conn.write("\r\n");
      const res = await conn.nextResponse();
      expect(res.status).toBe(413);
      expect(res.json()).toEqual({ detail: `Request body is larger than ${256 * KiB} bytes` });
      await eventually(async () => (await leftovers(live.tempDir)).length === 0, "temp files to be removed");
    } finally {
      await live.close();
    }
  });
});
