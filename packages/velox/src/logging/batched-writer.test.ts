import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BatchedWriter } from "./batched-writer.ts";
import { createLogger } from "./create-logger.ts";

const dir = mkdtempSync(join(tmpdir(), "velox-log-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("BatchedWriter", () => {
  it("writes every line in order, in few writes, off the caller's turn", async () => {
    const file = join(dir, "a.log");
    const out = new BatchedWriter(openSync(file, "a"));
    let total = 0;
    for (let i = 0; i < 5_000; i++) {
      const line = `{"n":${i},"s":"é"}\n`;
      total += line.length;
      out.write(line);
    }
    // The tail waits for the timer: nothing is written on the caller's turn but full 64 KiB chunks.
    expect(readFileSync(file, "utf8").length).toBeLessThan(total);
    await new Promise((r) => setTimeout(r, 200));
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines).toHaveLength(5_000);
    expect(lines.map((l) => JSON.parse(l).n)).toEqual([...Array(5_000).keys()]);
  });

  it("flushes what is pending synchronously", () => {
    const file = join(dir, "b.log");
    const out = new BatchedWriter(openSync(file, "a"));
    out.write("one\n");
    out.flushSync();
    expect(readFileSync(file, "utf8")).toBe("one\n");
  });

  it("is createLogger's asynchronous destination for a path", async () => {
    const file = join(dir, "c.log");
    createLogger({ destination: file }).info({ password: "x" }, "to a file");
    await new Promise((r) => setTimeout(r, 100));
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ msg: "to a file", password: "[Redacted]" });
  });
});
