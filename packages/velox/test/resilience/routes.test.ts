import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Velox } from "../../src/index.ts";
import { generateOpenAPI } from "../../src/openapi/generate.ts";
import { resilience } from "../../src/resilience/index.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";

const upstream = { healthy: false, calls: 0, aborted: 0 };
const guarded = resilience({ name: "upstream", timeoutMs: 200, breaker: { threshold: 2, halfOpenAfterMs: 30_000 } });
const narrow = resilience({ name: "narrow", bulkhead: { limit: 1 } });
let live: LiveServer;

beforeAll(async () => {
  const app = new Velox({ logger: false });
  app.get("/upstream", { deps: { guard: guarded.dependency }, responses: guarded.responses }, ({ guard }) =>
    guard.run(async () => {
      upstream.calls++;
      if (!upstream.healthy) throw new Error("upstream down");
      return { ok: true };
    }));
  app.get("/slow", { deps: { guard: narrow.dependency } }, ({ guard }) =>
    guard.run(async (signal) => {
      await sleep(5_000, undefined, { signal }).catch(() => void upstream.aborted++);
      return { done: true };
    }));
  live = await serveForTest(app);
});
afterAll(() => live.close());

describe("resilience as a route dependency, over real sockets", () => {
  it("an open breaker answers 503 with Retry-After and stops calling the upstream", async () => {
    expect((await fetch(`${live.url}/upstream`)).status).toBe(500);
    expect((await fetch(`${live.url}/upstream`)).status).toBe(500);
    upstream.healthy = true;
    const open = await fetch(`${live.url}/upstream`);
    expect(open.status).toBe(503);
    expect(Number(open.headers.get("retry-after"))).toBeGreaterThanOrEqual(29);
    expect(await open.json()).toEqual({ detail: "Service temporarily unavailable" });
    expect(upstream.calls).toBe(2);
  });

  it("a full bulkhead answers 503; a client going away aborts its work through the request signal", async () => {
    const controller = new AbortController();
    const first = fetch(`${live.url}/slow`, { signal: controller.signal }).catch(() => null);
    await sleep(50);
    const refused = await fetch(`${live.url}/slow`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    controller.abort();
    await first;
    for (let i = 0; i < 100 && upstream.aborted === 0; i++) await sleep(10);
    expect(upstream.aborted).toBe(1);
  });

  it("documents 503 and 504 where the policy is used", () => {
    const app = new Velox({ logger: false });
    app.get("/x", { deps: { guard: guarded.dependency }, responses: guarded.responses }, () => ({}));
    const doc = generateOpenAPI(app) as { paths: Record<string, { get: { responses: Record<string, { headers?: object }> } }> };
    expect(Object.keys(doc.paths["/x"]!.get.responses)).toEqual(expect.arrayContaining(["503", "504"]));
    expect(doc.paths["/x"]!.get.responses["503"]!.headers).toHaveProperty("Retry-After");
  });
});
