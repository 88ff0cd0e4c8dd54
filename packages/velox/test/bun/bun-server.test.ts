/** velox/server on Bun: probes, graceful shutdown on SIGTERM, and workers sharing a port with reusePort. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { get } from "node:http";
import { describe, expect, it } from "vitest";
import { bunBinary, hostOnBun } from "./bun-process.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const APPS = join(HERE, "parity-apps.ts");
const bun = bunBinary();

describe.skipIf(bun === null)("velox/server on Bun", () => {
  it("answers the probes and finishes an in-flight request on SIGTERM before the lifespan cleanup", async () => {
    const hosted = await hostOnBun(APPS, "processApp", { shutdownTimeoutMs: 5_000 });
    expect((await fetch(`${hosted.url}/health`)).status).toBe(200);
    expect(await (await fetch(`${hosted.url}/ready`)).json()).toEqual({ status: "ready" });
    const slow = fetch(`${hosted.url}/slow?ms=600`);
    await new Promise((r) => setTimeout(r, 150));
    const code = hosted.stop();
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ done: true });
    expect(await code).toBe(0);
    expect(hosted.stderr.join("")).toContain(`lifespan cleanup ${hosted.pid}`);
  });

  it("runs 2 workers on one port (reusePort) and drains them on SIGTERM", async () => {
    const hosted = await hostOnBun(APPS, "processApp", { workers: 2, shutdownTimeoutMs: 5_000 });
    const pids = new Set<number>();
    // A new connection each time (fetch would keep one alive): the kernel spreads them over the workers.
    const pidOnce = () => new Promise<number>((resolve, reject) => {
      get(`${hosted.url}/pid`, { agent: false }, (res) => {
        let body = "";
        res.on("data", (c) => void (body += c)).on("end", () => resolve((JSON.parse(body) as { pid: number }).pid));
      }).on("error", reject);
    });
    for (let i = 0; i < 60 && pids.size < 2; i++) pids.add(await pidOnce());
    expect(pids.size).toBe(2);
    expect(pids.has(hosted.pid)).toBe(false);
    expect(await hosted.stop()).toBe(0);
    const cleanups = hosted.stderr.join("").match(/lifespan cleanup \d+/g) ?? [];
    expect(cleanups).toHaveLength(2);
  });
});
