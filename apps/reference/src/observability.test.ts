import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "velox/logging";
import { serveForTest, type LiveServer } from "velox/testing";
import { createApp } from "./app.ts";
import { describeEachApp, testSettings } from "./testing/app-harness.ts";

const DEPLOY = fileURLToPath(new URL("../deploy/observability/", import.meta.url));

describeEachApp("observability", (t) => {
  it("counts requests by route template in /metrics", async () => {
    const alice = await t.login("alice");
    await t.client.get("/users/me", alice.auth);
    await t.client.get("/items/12345", alice.auth);
    await t.client.get("/no/such/path/7f3a");
    const text = (await t.client.get("/metrics")).text;
    expect(text).toMatch(/^http_server_request_duration_seconds_count\{http_request_method="GET",http_route="\/users\/me",http_response_status_code="200"\} 1$/m);
    expect(text).toContain('http_route="/items/{item_id}",http_response_status_code="404"');
    expect(text).toContain('http_route="unmatched",http_response_status_code="404"');
    expect(text).not.toContain("7f3a");
    // The 404 read went through the item cache: a miss (not found is not cached).
    expect(text).toMatch(/^velox_cache_requests_total\{cache="items",result="miss"\} [1-9]/m);
  });

  it("serves diagnostics to superusers with the admin scope only", async () => {
    expect((await t.client.get("/_diagnostics/event-loop")).status).toBe(401);
    const bob = await t.login("bob");
    const denied = await t.client.get("/_diagnostics/event-loop", bob.auth);
    expect(denied.status).toBe(401);
    expect(String(denied.headers["www-authenticate"])).toContain('scope="admin"');
    const root = await t.login("root", { superuser: true, requestScopes: ["read", "admin"] });
    const res = await t.client.get("/_diagnostics/event-loop", root.auth);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ pid: process.pid, p99Ms: expect.any(Number) });
  });
});

const promtool = spawnSync("promtool", ["--version"]).status === 0;
if (!promtool && process.env.VELOX_REQUIRE_SERVICES === "1") throw new Error("promtool is missing: apt-get install -y prometheus");

describe.skipIf(!promtool)("deploy/observability with promtool, against a running reference app", () => {
  const dir = mkdtempSync(join(tmpdir(), "velox-ref-obs-"));
  const lines: Record<string, any>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const app = createApp({ settings: testSettings({ DATABASE_URL: `sqlite:${join(dir, "app.db")}` }), logger: createLogger({ destination: sink }) });
  let live: LiveServer;
  let scrape = "";
  afterAll(async () => {
    await live?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("logs an access line per request and exposes metrics that promtool accepts", { timeout: 60_000 }, async () => {
    live = await serveForTest(app);
    await fetch(`${live.url}/auth/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "carol", email: "carol@example.com", password: "correct horse battery" }) });
    await fetch(`${live.url}/users/me`);
    await fetch(`${live.url}/wp-login.php`);
    scrape = await (await fetch(`${live.url}/metrics`)).text();
    await new Promise((r) => setTimeout(r, 50));
    expect(lines.find((l) => l.msg === "request completed" && l.path === "/auth/register")).toMatchObject({ route: "/auth/register", status: 201, client: "127.0.0.1" });
    expect(lines.find((l) => l.msg === "request completed" && l.path === "/users/me")).toMatchObject({ level: "warn", status: 401 });
    expect(JSON.stringify(lines)).not.toContain("correct horse battery");
    const result = spawnSync("promtool", ["check", "metrics"], { input: scrape, encoding: "utf8" });
    const problems = `${result.stdout}${result.stderr}`.split("\n").filter(Boolean);
    // prom-client's own gauges of handles, requests and resources end in _total; nothing else may be flagged.
    const PROM_CLIENT_NAMES = /^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$/;
    expect(problems.filter((p) => !PROM_CLIENT_NAMES.test(p))).toEqual([]);
    expect(scrape).toContain("# TYPE http_server_request_duration_seconds histogram");
  });

  it("has alert rules promtool checks and whose unit tests pass", () => {
    expect(execFileSync("promtool", ["check", "rules", "prometheus/alerts.yml"], { cwd: DEPLOY, encoding: "utf8" })).toContain("SUCCESS");
    expect(execFileSync("promtool", ["test", "rules", "prometheus/alerts.test.yml"], { cwd: DEPLOY, encoding: "utf8" })).toContain("SUCCESS");
  });

  it("has a dashboard whose every metric exists in a real scrape (or comes from the cluster primary)", () => {
    const dashboard = JSON.parse(readFileSync(join(DEPLOY, "grafana/velox-dashboard.json"), "utf8")) as { panels: { targets?: { expr: string }[] }[] };
    const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    expect(exprs.length).toBeGreaterThan(15);
    const families = new Set([...scrape.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
    const clusterOnly = new Set(["velox_cluster_workers", "velox_cluster_worker_restarts_total", "velox_metrics_partial", "velox_metrics_scrape_workers"]);
    const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\b((?:http_server|process|nodejs|velox)_[a-z_]+)\b/g)].map((m) => m[1]!.replace(/_(bucket|sum|count)$/, ""))));
    const missing = [...used].filter((name) => !families.has(name) && !clusterOnly.has(name));
    expect(missing).toEqual([]);
    expect(used.size).toBeGreaterThan(10);
  });
});
