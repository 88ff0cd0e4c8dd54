/**
 * Cluster metrics over real processes: `velox run --workers 2` with velox/metrics, scraped through
 * a worker's /metrics and the primary's --metrics-port.
 */
import { get } from "node:http";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { sleep, startLoad } from "../server/helpers/load.ts";
import { killAll, VeloxProcess } from "../server/helpers/velox-process.ts";

const FIXTURE = fileURLToPath(new URL("./fixtures/metrics-app.ts", import.meta.url));
const TIMEOUT = { timeout: 90_000 };

function startCluster(): VeloxProcess {
  return new VeloxProcess(["run", FIXTURE, "--workers", "2", "--port", "0", "--metrics-port", "0", "--shutdown-timeout", "4000"]);
}

async function metricsUrl(p: VeloxProcess): Promise<string> {
  return (await p.waitFor((l) => typeof l.msg === "string" && l.msg.startsWith("cluster metrics on"))).url as string;
}

/** One request on a fresh connection (the primary's round robin picks the worker). */
function fetchText(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; pid: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.once("end", () => resolve({ status: res.statusCode ?? 0, body, pid: String(res.headers["x-pid"]), headers: res.headers }));
    }).once("error", reject);
  });
}

const JSON_COUNT = /^http_server_request_duration_seconds_count\{http_request_method="GET",http_route="\/json",http_response_status_code="200"\} (\d+)$/m;
const served = (text: string): number => Number(JSON_COUNT.exec(text)?.[1] ?? 0);

afterEach(() => killAll());

describe("cluster metrics (velox run --workers 2)", () => {
  it("adds up exactly the requests sent to both workers, on a worker's /metrics and the primary's port", TIMEOUT, async () => {
    const p = startCluster();
    const url = await p.url();
    const primary = await metricsUrl(p);
    const sent = 240;
    const answers = [];
    for (let i = 0; i < sent; i += 8) answers.push(...(await Promise.all(Array.from({ length: 8 }, () => fetchText(`${url}/json`)))));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => a.pid)).size).toBe(2);

    const fromPrimary = await fetchText(primary);
    expect(fromPrimary.status).toBe(200);
    expect(fromPrimary.headers["x-velox-metrics-partial"]).toBe("0");
    expect(served(fromPrimary.body)).toBe(sent);
    expect(fromPrimary.body).toMatch(new RegExp(`^fixture_work_total ${sent}$`, "m"));
    expect(fromPrimary.body).toMatch(/^velox_cluster_workers 2$/m);
    const fromWorker = await fetchText(`${url}/metrics`);
    expect(fromWorker.status).toBe(200);
    expect(served(fromWorker.body)).toBe(sent);

    // Diagnostics of each worker, whichever worker the request lands on: relayed by the primary.
    const auth = { "x-admin-key": "fixture" };
    const { pids } = JSON.parse((await fetchText(`${url}/_diagnostics/workers`, auth)).body) as { pids: number[] };
    expect(pids.map(String).sort()).toEqual([...new Set(answers.map((a) => a.pid))].sort());
    for (const pid of pids) {
      for (let i = 0; i < 2; i++) {
        const heap = await fetchText(`${url}/_diagnostics/heap?worker=${pid}`, auth);
        expect(heap.status).toBe(200);
        expect(JSON.parse(heap.body).pid).toBe(pid);
      }
    }
    expect((await fetchText(`${url}/_diagnostics/heap?worker=1`, auth)).status).toBe(404);
    p.signal("SIGTERM");
    expect((await p.exited).code).toBe(0);
  });

  it("never decreases and keeps the other worker's counts when a worker is killed mid-run", TIMEOUT, async () => {
    const p = startCluster();
    const url = await p.url();
    const primary = await metricsUrl(p);
    const load = startLoad({ url, connections: 6 });
    const totals: number[] = [];
    const scrapes = (async () => {
      for (let i = 0; i < 40; i++) {
        totals.push(served((await fetchText(primary)).body));
        await sleep(100);
      }
    })();
    await sleep(1_000);
    const pids = new Set(load.result.served.map(([, pid]) => pid));
    expect(pids.size).toBe(2);
    const victim = [...pids][0]!;
    const killedAt = Date.now();
    process.kill(Number(victim), "SIGKILL");
    await p.waitFor((l) => l.msg === "worker ready" && l.pid !== undefined && !pids.has(String(l.pid)), 30_000);
    await sleep(500);
    const result = await load.stop();
    await scrapes;
    const final = served((await fetchText(primary)).body);

    for (let i = 1; i < totals.length; i++) expect(totals[i]!, `scrape ${i}: ${totals.join(",")}`).toBeGreaterThanOrEqual(totals[i - 1]!);
    const byOthers = result.served.filter(([, pid]) => pid !== victim).length;
    const byVictimBeforeKill = result.served.filter(([t, pid]) => pid === victim && t < killedAt).length;
    expect(final).toBeGreaterThanOrEqual(byOthers);
    expect(final).toBeLessThanOrEqual(result.ok);
    // The victim's counts as of its last snapshot (scrapes ran every 100 ms) are kept too.
    expect(final).toBeGreaterThan(byOthers + byVictimBeforeKill / 2);
    const restarts = /^velox_cluster_worker_restarts_total (\d+)$/m.exec((await fetchText(primary)).body)?.[1];
    expect(restarts).toBe("1");
    p.signal("SIGTERM");
    await p.exited;
  });

  it("answers in time, marked partial, while a worker's event loop is stuck; a rolling reload loses no count", TIMEOUT, async () => {
    const p = startCluster();
    const url = await p.url();
    const primary = await metricsUrl(p);
    for (let i = 0; i < 20; i++) await fetchText(`${url}/json`);
    const before = served((await fetchText(primary)).body);
    expect(before).toBe(20);
    const blocked = fetchText(`${url}/block?ms=3000`);
    await sleep(300);
    const startedAt = Date.now();
    const during = await fetchText(primary);
    expect(Date.now() - startedAt).toBeLessThan(2_500);
    expect(during.headers["x-velox-metrics-partial"]).toBe("1");
    expect(during.body).toMatch(/^# velox: partial result: 1 worker\(s\) stale, 0 missing$/m);
    expect(during.body).toMatch(/^velox_metrics_partial 1$/m);
    expect(served(during.body)).toBe(20);
    await blocked;
    expect(served((await fetchText(primary)).body)).toBe(20);

    // SIGHUP replaces both workers; each sends a last snapshot as it drains, so nothing is lost.
    for (let i = 0; i < 10; i++) await fetchText(`${url}/json`);
    p.signal("SIGHUP");
    await p.waitFor((l) => l.msg === "reload complete", 40_000);
    const after = await fetchText(primary);
    expect(served(after.body)).toBe(30);
    expect(after.body).toMatch(/^velox_cluster_worker_restarts_total 0$/m);
    p.signal("SIGTERM");
    await p.exited;
  });
});
