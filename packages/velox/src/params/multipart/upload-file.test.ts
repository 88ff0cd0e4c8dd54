import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PartTooLargeError, SpoolWriter } from "./spool.ts";
import { TempFiles } from "./temp-files.ts";
import { UploadFile } from "./upload-file.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "velox-upload-unit-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function spooled(content: Buffer, threshold: number, temp = new TempFiles(dir)) {
  const spool = new SpoolWriter({ limit: 1 << 30, threshold, temp });
  const chunks = [];
  for (let i = 0; i < content.length; i += 1000) chunks.push(content.subarray(i, i + 1000));
  await pipeline(Readable.from(chunks), spool);
  const upload = new UploadFile({
    fieldName: "f", filename: "f.bin", contentType: "application/octet-stream", size: spool.size,
    ...(spool.path === null ? { buffer: spool.buffer! } : { path: spool.path, temp }),
  });
  return { upload, temp, spool };
}

describe("SpoolWriter and UploadFile", () => {
  const content = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i % 251));

  it("keeps a file under the threshold in memory", async () => {
    const { upload, temp } = await spooled(content, 20_000);
    expect(upload.inMemory).toBe(true);
    expect(temp.size).toBe(0);
    expect(await upload.bytes()).toEqual(content);
    expect(await readdir(dir)).toEqual([]);
  });

  it("moves a file past the threshold to a random-named temp file with mode 0600", async () => {
    const { upload, temp, spool } = await spooled(content, 4_000);
    expect(upload.inMemory).toBe(false);
    expect(spool.path).toMatch(/velox-upload-[0-9a-f-]{36}$/);
    expect(await readFile(spool.path!)).toEqual(content);
    const { statSync } = await import("node:fs");
    expect(statSync(spool.path!).mode & 0o777).toBe(0o600);
    expect(await upload.bytes()).toEqual(content);
    await temp.cleanup();
    expect(await readdir(dir)).toEqual([]);
  });

  it("streams, reads as text and hashes the same bytes either way", async () => {
    for (const threshold of [1 << 20, 100]) {
      const { upload, temp } = await spooled(content, threshold);
      const hash = createHash("sha256");
      await pipeline(upload.stream(), hash);
      expect(hash.digest("hex")).toBe(createHash("sha256").update(content).digest("hex"));
      expect((await upload.text("latin1")).length).toBe(content.length);
      await temp.cleanup();
    }
  });

  it("save() moves a spooled file (cleanup then leaves it) and writes an in-memory one", async () => {
    const { upload, temp, spool } = await spooled(content, 100);
    const target = join(dir, "kept.bin");
    await upload.save(target);
    expect(existsSync(spool.path!)).toBe(false);
    expect(temp.size).toBe(0);
    await temp.cleanup();
    expect(await readFile(target)).toEqual(content);
    expect(await upload.bytes()).toEqual(content);
    const second = join(dir, "copy.bin");
    await upload.save(second);
    expect(await readFile(second)).toEqual(content);
    const small = await spooled(Buffer.from("tiny"), 1 << 20);
    await small.upload.save(join(dir, "tiny.txt"));
    expect(await readFile(join(dir, "tiny.txt"), "utf8")).toBe("tiny");
  });

  it("refuses the chunk that passes the limit and keeps no more than the limit", async () => {
    const temp = new TempFiles(dir);
    const spool = new SpoolWriter({ limit: 2500, threshold: 1000, temp });
    await expect(pipeline(Readable.from([content.subarray(0, 2000), content.subarray(2000, 3000)]), spool)).rejects.toBeInstanceOf(PartTooLargeError);
    expect(spool.size).toBe(2000);
    await temp.cleanup();
    expect(await readdir(dir)).toEqual([]);
  });

  it("toJSON shows metadata, never content", () => {
    const upload = new UploadFile({ fieldName: "f", filename: "a.txt", contentType: "text/plain", size: 3, buffer: Buffer.from("abc") });
    expect(JSON.stringify(upload)).toBe('{"fieldName":"f","filename":"a.txt","contentType":"text/plain","size":3}');
  });
});
