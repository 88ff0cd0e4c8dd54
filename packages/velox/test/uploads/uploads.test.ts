/**
 * File uploads through the whole pipeline: form fields and files validated together, both form
 * encodings, per-route caps, the test client's files, and temp files removed on every path.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { file, files, generateOpenAPI, multipartBody, UploadFile, Velox, VeloxError } from "../../src/index.ts";
import { serveForTest, TestClient, type LiveServer } from "../../src/testing/index.ts";
import { eventually, KiB, leftovers, MiB } from "./multipart-wire.ts";

let tempDir: string;
let savedDir: string;
const seen: { inMemory?: boolean; path?: string } = {};
let release: (() => void) | null = null;

function buildApp(): Velox {
  const app = new Velox({ logger: false });
  const multipart = { tempDir, spoolThreshold: 64 * KiB };
  app.post("/profile", {
    form: { name: z.string().min(1), age: z.int().min(0), tags: z.array(z.string()).default([]), avatar: file({ accept: ["image/*"] }).optional() },
    multipart,
  }, async ({ form }) => ({
    name: form.name,
    age: form.age,
    tags: form.tags,
    avatar: form.avatar ? { filename: form.avatar.filename, type: form.avatar.contentType, size: form.avatar.size } : null,
  }));
  app.post("/docs", { form: { docs: files({ max: 3 }) }, multipart }, async ({ form }) =>
    Promise.all(form.docs.map(async (d) => ({ filename: d.filename, sha256: createHash("sha256").update(await d.bytes()).digest("hex") }))));
  app.post("/big", { form: { blob: file() }, multipart }, async ({ form }) => {
    seen.inMemory = form.blob.inMemory;
    const target = join(savedDir, "kept.bin");
    await form.blob.save(target);
    return { size: form.blob.size };
  });
  app.post("/fails", { form: { blob: file() }, multipart }, async ({ form }) => {
    await form.blob.bytes();
    throw new Error("boom");
  });
  app.post("/slow", { form: { blob: file() }, multipart }, async ({ form }) => {
    await new Promise<void>((resolve) => (release = resolve));
    // The client is gone by now; the spooled file is still there for the handler.
    const bytes = await form.blob.bytes();
    seen.path = String(bytes.length);
    return { size: bytes.length };
  });
  app.post("/only-multipart", { form: { note: z.string() }, bodyKind: multipartBody, multipart }, ({ form }) => form);
  app.post("/capped", { form: { blob: file() }, bodyLimit: 100 * KiB, multipart: { tempDir } }, ({ form }) => ({ size: form.blob.size }));
  return app;
}

describe("uploads through the pipeline", () => {
  let client: TestClient;
  let live: LiveServer;
  beforeAll(async () => {
    tempDir = await mkdtemp(join(tmpdir(), "velox-uploads-"));
    savedDir = await mkdtemp(join(tmpdir(), "velox-saved-"));
    client = new TestClient(buildApp());
    live = await serveForTest(buildApp());
  });
  afterAll(async () => {
    await client.close();
    await live.close();
    await rm(tempDir, { recursive: true, force: true });
    await rm(savedDir, { recursive: true, force: true });
  });

  it("validates text fields with the form's coercion and takes a file, from the test client's files", async () => {
    const res = await client.post("/profile", {
      form: { name: "Ada", age: "36", tags: ["a", "b"] },
      files: { avatar: { content: Buffer.from([0x89, 0x50]), filename: "me.png", contentType: "image/png" } },
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ name: "Ada", age: 36, tags: ["a", "b"], avatar: { filename: "me.png", type: "image/png", size: 2 } });
  });

  it("takes the same form URL-encoded (FastAPI's Form() reads both), the file then optional and absent", async () => {
    const res = await client.post("/profile", { form: { name: "Ada", age: "36" } });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ name: "Ada", age: 36, tags: [], avatar: null });
  });

  it("answers FastAPI's 422 for bad fields and a file of the wrong type, and removes the temp file", async () => {
    const res = await client.post("/profile", {
      form: { age: "-1" },
      files: { avatar: { content: Buffer.alloc(100 * KiB), filename: "x.txt", contentType: "text/plain" } },
    });
    expect(res.status).toBe(422);
    expect(res.json().detail.map((d: { type: string; loc: unknown[] }) => [d.type, d.loc])).toEqual([
      ["missing", ["body", "name"]],
      ["greater_than_equal", ["body", "age"]],
      ["value_error", ["body", "avatar"]],
    ]);
    expect(await leftovers(tempDir)).toEqual([]);
  });

  it("reads several files under one name, in order, and bounds their number", async () => {
    const data = new FormData();
    data.append("docs", new File(["one"], "1.txt"));
    data.append("docs", new File(["two"], "2.txt"));
    const res = await client.post("/docs", { body: data });
    expect(res.status).toBe(200);
    const sha = (s: string) => createHash("sha256").update(s).digest("hex");
    expect(res.json()).toEqual([{ filename: "1.txt", sha256: sha("one") }, { filename: "2.txt", sha256: sha("two") }]);
    const many = await client.post("/docs", { files: { docs: ["a", "b", "c", "d"].map((c) => ({ content: c, filename: `${c}.txt` })) } });
    expect(many.status).toBe(422);
    expect(many.json().detail[0]).toMatchObject({ type: "too_long", loc: ["body", "docs"] });
    const none = await client.post("/docs", { files: {}, form: { other: "x" } });
    expect(none.status).toBe(422);
    expect(none.json().detail[0]).toMatchObject({ type: "missing", loc: ["body", "docs"] });
  });

  it("spools a file past the threshold to disk, save() moves it out, and nothing is left behind", async () => {
    const content = Buffer.alloc(300 * KiB, 9);
    const res = await client.post("/big", { files: { blob: { content, filename: "big.bin" } } });
    expect(res.status).toBe(200);
    expect(seen.inMemory).toBe(false);
    expect(await readFile(join(savedDir, "kept.bin"))).toEqual(content);
    await eventually(async () => (await leftovers(tempDir)).length === 0, "temp files to be removed");
  });

  it("removes temp files when the handler fails", async () => {
    const res = await client.post("/fails", { files: { blob: { content: Buffer.alloc(200 * KiB), filename: "b" } } });
    expect(res.status).toBe(500);
    await eventually(async () => (await leftovers(tempDir)).length === 0, "temp files to be removed");
  });

  it("keeps a spooled file for a handler whose client went away, and removes it when the handler is done", async () => {
    const data = new FormData();
    data.append("blob", new File([Buffer.alloc(200 * KiB, 1)], "b.bin"));
    const encoded = new Response(data);
    const body = Buffer.from(await encoded.arrayBuffer());
    const req = request(`${live.url}/slow`, { method: "POST", headers: { "content-type": encoded.headers.get("content-type")!, "content-length": body.length } });
    req.on("error", () => undefined);
    req.end(body);
    await eventually(() => release !== null, "the handler to start");
    expect((await leftovers(tempDir)).length).toBe(1);
    req.destroy();
    await new Promise((r) => setTimeout(r, 50));
    release!();
    await eventually(() => seen.path === String(200 * KiB), "the handler to read the whole file");
    await eventually(async () => (await leftovers(tempDir)).length === 0, "temp files to be removed");
  });

  it("multipartBody refuses URL-encoded bodies with 415", async () => {
    const res = await client.post("/only-multipart", { form: { note: "x" } });
    expect(res.status).toBe(415);
    expect(res.json()).toEqual({ detail: "Content-Type must be multipart/form-data" });
    const ok = await client.post("/only-multipart", { form: { note: "x" }, files: {} });
    expect(ok.json()).toEqual({ note: "x" });
  });

  it("a route's bodyLimit caps a multipart body in all", async () => {
    const res = await client.post("/capped", { files: { blob: { content: Buffer.alloc(200 * KiB), filename: "b" } } });
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ detail: `Request body is larger than ${100 * KiB} bytes` });
  });

  it("answers 415 to a body that is neither form encoding", async () => {
    const res = await client.post("/profile", { body: "{}", headers: { "content-type": "application/json" } });
    expect(res.status).toBe(415);
  });

  it("the client filename never reaches the file system", async () => {
    expect(existsSync(join(tempDir, "big.bin"))).toBe(false);
    const res = await client.post("/profile", { form: { name: "x", age: "1" }, files: { avatar: { content: "x", filename: "../../evil.png", contentType: "image/png" } } });
    expect(res.json().avatar.filename).toBe("evil.png");
  });
});

describe("upload routes at registration and in OpenAPI", () => {
  it("refuses unknown or invalid multipart options when the app starts", async () => {
    const app = new Velox({ logger: false });
    app.post("/x", { form: { f: file() }, multipart: { maxFiles: -1 } }, () => null);
    await expect(app.ready()).rejects.toThrow(VeloxError);
    const other = new Velox({ logger: false });
    other.post("/x", { form: { f: file() }, multipart: { maxFile: 1 } as never }, () => null);
    await expect(other.ready()).rejects.toThrow(/unknown multipart option "maxFile"/);
  });

  it("documents multipart/form-data with binary file fields, URL-encoded for plain forms", () => {
    const app = new Velox({ logger: false });
    app.post("/avatar", { form: { file: file({ description: "PNG or JPEG" }), caption: z.string().optional() } }, () => null);
    app.post("/albums", { form: { photos: files() } }, () => null);
    app.post("/login", { form: { username: z.string() } }, () => null);
    const doc = generateOpenAPI(app);
    const body = (path: string) => doc.paths[path]!.post!.requestBody as { content: Record<string, { schema: { $ref: string } }> };
    expect(Object.keys(body("/avatar").content)).toEqual(["multipart/form-data"]);
    expect(Object.keys(body("/login").content)).toEqual(["application/x-www-form-urlencoded"]);
    const schemas = doc.components!.schemas!;
    const avatarBody = schemas[body("/avatar").content["multipart/form-data"]!.schema.$ref.split("/").pop()!] as Record<string, any>;
    expect(avatarBody.properties.file).toEqual({ type: "string", format: "binary", contentMediaType: "application/octet-stream", description: "PNG or JPEG" });
    expect(avatarBody.required).toEqual(["file"]);
    const albumBody = schemas[body("/albums").content["multipart/form-data"]!.schema.$ref.split("/").pop()!] as Record<string, any>;
    expect(albumBody.properties.photos).toEqual({ type: "array", items: { type: "string", format: "binary", contentMediaType: "application/octet-stream" } });
  });

  it("a file field receiving text is FastAPI's value_error", async () => {
    const app = new Velox({ logger: false });
    app.post("/x", { form: { f: file() } }, ({ form }) => form.f instanceof UploadFile);
    const client = new TestClient(app);
    const res = await client.post("/x", { form: { f: "text" }, files: {} });
    expect(res.status).toBe(422);
    expect(res.json().detail).toEqual([{ type: "value_error", loc: ["body", "f"], msg: "Value error, Expected UploadFile, received: <class 'str'>", input: "text", ctx: { error: {} } }]);
    await client.close();
  });
});

describe("multipart totals", () => {
  it("an upload of 20 MiB spooled through the default caps is a 413 (10 MiB per file)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "velox-uploads-cap-"));
    const app = new Velox({ logger: false });
    app.post("/x", { form: { f: file() }, multipart: { tempDir: dir } }, ({ form }) => form.f.size);
    const client = new TestClient(app);
    try {
      const res = await client.post("/x", { files: { f: { content: Buffer.alloc(20 * MiB), filename: "f" } } });
      expect(res.status).toBe(413);
      expect(res.json()).toEqual({ detail: `File "f" is larger than ${10 * MiB} bytes` });
      expect(await leftovers(dir)).toEqual([]);
    } finally {
      await client.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
