/** velox/server on Bun: probes, graceful shutdown on SIGTERM, and workers sharing a port with reusePort. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { get } from "node:http";
import { describe, expect, it } from "vitest";
import { bunBinary, hostOnBun } from "./bun-process.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const APPS = join(HERE, "parity-apps.ts");
const bun = bunBinary();

/** One GET on its own connection: status, `Connection` header and JSON body. */
const getJson = (url: string) => new Promise<{ status: number; connection: string | undefined; body: any }>((resolve, reject) => {
  get(url, { agent: false }, (res) => {
    let body = "";
    res.on("data", (c) => void (body += c)).on("end", () => resolve({ status: res.statusCode!, connection: res.headers.connection, body: JSON.parse(body) }));
  }).on("error", reject);
});

describe.skipIf(bun === null)("velox/server on Bun", () => {
  it("answers the probes and finishes an in-flight request on SIGTERM before the lifespan cleanup", async () => {
    const hosted = await hostOnBun(APPS, "processApp", { shutdownTimeoutMs: 5_000 });
    expect((await fetch(`${hosted.url}/health`)).status).toBe(200);
    expect(await (await fetch(`${hosted.url}/ready`)).json()).toEqual({ status: "ready" });
    const slow = getJson(`${hosted.url}/slow?ms=600`);
    await new Promise((r) => setTimeout(r, 150));
    const code = hosted.stop();
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ done: true });
    // In flight when the drain began: its keep-alive connection is closed after it.
    expect(answer.connection).toBe("close");
    expect(await code).toBe(0);
    expect(hosted.stderr.join("")).toContain(`lifespan cleanup ${hosted.pid}`);
  });

  it("counts requests in flight for limitConcurrency and frees the slot when one finishes", async () => {
    const hosted = await hostOnBun(APPS, "processApp", { limitConcurrency: 1, healthPath: false, readyPath: false });
    try {
      // Answered synchronously: never in flight across requests, so never refused.
      for (let i = 0; i < 3; i++) expect((await getJson(`${hosted.url}/pid`)).status).toBe(200);
      const slow = getJson(`${hosted.url}/slow?ms=400`);
      await new Promise((r) => setTimeout(r, 150));
      const refused = await getJson(`${hosted.url}/pid`);
      expect([refused.status, refused.body]).toEqual([503, { detail: "Service Unavailable" }]);
      expect((await slow).status).toBe(200);
      expect((await getJson(`${hosted.url}/pid`)).status).toBe(200);
    } finally {
      await hosted.stop();
    }
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
