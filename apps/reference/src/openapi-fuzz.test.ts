/**
 * Property-based fuzzing of the reference app from its own OpenAPI document, on SQLite and on
 * PostgreSQL: valid and invalid requests for every operation (see testing/fuzz/). No answer may
 * be a 5xx, and every 2xx must be documented and match its declared response schema.
 *
 * Bounded here (VELOX_FUZZ_RUNS requests per database, 400 by default, seeded by VELOX_FUZZ_SEED
 * or the clock, printed so a failure can be replayed); `npm run fuzz -w apps/reference` runs a
 * longer campaign.
 */
import { expect, it } from "vitest";
import { generateOpenAPI } from "velox";
import { createApp } from "./app.ts";
import { describeEachApp, testSettings } from "./testing/app-harness.ts";
import { fuzzApp } from "./testing/fuzz/fuzz-app.ts";
import type { OpenAPIDoc } from "./testing/fuzz/openapi-operations.ts";

const RUNS = Number(process.env.VELOX_FUZZ_RUNS ?? 400);
const SEED = process.env.VELOX_FUZZ_SEED === undefined ? undefined : Number(process.env.VELOX_FUZZ_SEED);
const doc = generateOpenAPI(createApp({ settings: testSettings(), logger: false })) as OpenAPIDoc;

/**
 * Operations that answer an endless stream (SSE): the in-process client would wait for a body that
 * never ends, so these go over a real socket, and the fuzzer judges the status and headers.
 */
const streaming = new Set(
  Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>)
      .filter(([, op]) => Object.values(op.responses ?? {}).some((r) => r.content !== undefined && "text/event-stream" in r.content))
      .map(([method]) => `${method.toUpperCase()} ${path}`),
  ),
);

async function sendOverSocket(base: string, request: { method: string; url: string; headers: Record<string, string>; body?: string }) {
  const aborter = new AbortController();
  const res = await fetch(base + request.url, { method: request.method, headers: request.headers, signal: aborter.signal, ...(request.body === undefined ? {} : { body: request.body }) });
  const headers = Object.fromEntries(res.headers);
  const streams = (res.headers.get("content-type") ?? "").startsWith("text/event-stream");
  const text = streams ? "" : await res.text();
  aborter.abort();
  return { status: res.status, headers, text };
}

describeEachApp("fuzzing every operation of the OpenAPI document", (t) => {
  it("answers no 5xx, and every 2xx is documented and matches its schema", { timeout: 120_000 }, async () => {
    const admin = await t.login("root", { superuser: true, requestScopes: ["read", "write", "admin"] });
    const user = await t.login("bob");
    for (let i = 0; i < 12; i++) await t.client.post("/items", { ...admin.auth, json: { title: `item ${i}`, price: i } });
    const started = performance.now();
    const report = await fuzzApp({
      doc,
      runs: RUNS,
      ...(SEED === undefined ? {} : { seed: SEED }),
      credentials: { admin: admin.access, user: user.access, login: { username: "bob", password: user.password } },
      send: async (request) => {
        if (streaming.has(request.operation)) return sendOverSocket(await t.url(), request);
        const res = await t.client.request(request.method, request.url, { headers: request.headers, ...(request.body === undefined ? {} : { body: request.body }) });
        return { status: res.status, headers: res.headers, text: res.text };
      },
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.info(`[fuzz ${t.dialect}] ${report.requests} requests in ${seconds} s (seed ${report.seed}), statuses ${JSON.stringify(report.statuses)}`);
    expect(report.requests).toBe(RUNS);
    expect(Object.keys(report.operations)).toHaveLength(Object.values(doc.paths ?? {}).reduce((n, item) => n + Object.keys(item).length, 0));
  });
});
