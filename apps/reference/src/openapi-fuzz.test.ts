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
