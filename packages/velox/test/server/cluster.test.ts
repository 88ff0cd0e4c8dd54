/**
 * Acceptance tests of the worker cluster, over real processes and sockets: `velox run` with two
 * workers under a closed-loop load generator. The fixture app prints how many requests each
 * worker started and finished when its lifespan ends; comparing the sum with what the client
 * received proves that no request the server accepted was lost.
 */
import { get } from "node:http";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { failures, pidsSince, sleep, startLoad, type LoadResult } from "./helpers/load.ts";
import { FIXTURE, killAll, VeloxProcess } from "./helpers/velox-process.ts";

const SHUTDOWN_MS = 8_000;
/** Generous: on a busy 2-core machine a worker can take seconds to boot. */
const TIMEOUT = { timeout: 90_000 };

function startCluster(extra: string[] = []): VeloxProcess {
  return new VeloxProcess(["run", FIXTURE, "--workers", "2", "--port", "0", "--shutdown-timeout", String(SHUTDOWN_MS), ...extra]);
}

/** One request on a fresh connection (so the cluster's round robin picks the worker). */
function fresh(url: string, path = "/json"): Promise<{ status: number; pid: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    get(`${url}${path}`, { agent: false }, (res) => {
      res.resume();
      res.once("end", () => resolve({ status: res.statusCode ?? 0, pid: String(res.headers["x-pid"]), connection: res.headers.connection }));
    }).once("error", reject);
  });
}

function served(p: VeloxProcess): { started: number; finished: number } {
  return p.stats.reduce((a, s) => ({ started: a.started + s.started, finished: a.finished + s.finished }), { started: 0, finished: 0 });
}

function summary(result: LoadResult): string {
  return JSON.stringify({ ok: result.ok, statuses: result.statuses, errors: result.errors, resetOnReuse: result.resetOnReuse });
}

afterEach(() => killAll());
afterAll(() => killAll());

describe("velox run with 2 workers", () => {
  it("drains on SIGTERM under load: every accepted request answered, new connections refused, exit in time", TIMEOUT, async () => {
    const p = startCluster();
    const url = await p.url();
    const load = startLoad({ url, connections: 8 });
    await sleep(800);
    const slow = Array.from({ length: 4 }, () => fresh(url, "/slow?ms=1500"));
    await sleep(200);
    const signalledAt = Date.now();
    p.signal("SIGTERM");
    const exit = await p.exited;
    const result = await load.stop();
    const slowAnswers = await Promise.all(slow);

    expect(exit.code).toBe(0);
    expect(exit.at - signalledAt).toBeLessThan(SHUTDOWN_MS);
    // In-flight requests finished, and told the client the connection closes.
    expect(slowAnswers.map((a) => [a.status, a.connection])).toEqual(Array(4).fill([200, "close"]));
    // Both workers ran their lifespan cleanup, and every request they started, they finished...
    expect(p.stats).toHaveLength(2);
    for (const s of p.stats) expect(s.finished).toBe(s.started);
    // ...and the client received every one of them: no accepted request failed.
    expect(served(p).finished).toBe(result.ok + slowAnswers.length);
    expect(result.statuses, summary(result)).toEqual({});
    expect(result.ok).toBeGreaterThan(100);
    // The listener closed while the workers were still draining: new connections were refused.
    const refusedWhileDraining = result.failed.filter(([t, code]) => code === "ECONNREFUSED" && t < exit.at);
    expect(refusedWhileDraining.length, summary(result)).toBeGreaterThan(0);
    for (const code of Object.keys(result.errors)) expect(["ECONNREFUSED", "ECONNRESET"]).toContain(code);
    // Kept-alive sockets were not closed under a client that was reusing them (node's own
    // server.close() does that): the idle grace answered their last request with Connection: close.
    expect(result.resetOnReuse, summary(result)).toBe(0);
  });

  it("replaces a worker killed with SIGKILL under load; only its in-flight requests may fail", TIMEOUT, async () => {
    const p = startCluster();
    const url = await p.url();
    const connections = 8;
    const load = startLoad({ url, connections });
    await sleep(800);
    const before = pidsSince(load.result, 0);
    expect(before.size).toBe(2);
    const victim = Number([...before][0]);
    process.kill(victim, "SIGKILL");
    await p.waitFor((l) => l.msg === "worker died" && l.pid === victim, 10_000);
    const replacement = await p.waitFor((l) => l.msg === "worker ready" && !before.has(String(l.pid)), 20_000);
    const answers = await Promise.all(Array.from({ length: 6 }, () => fresh(url)));
    await sleep(300);
    const result = await load.stop();

    // The killed worker had at most one request in flight per connection it held.
    expect(failures(result), summary(result)).toBeLessThanOrEqual(connections);
    expect(result.statuses).toEqual({});
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.map((a) => a.pid)).toContain(String(replacement.pid));
    expect(answers.map((a) => a.pid)).not.toContain(String(victim));
    p.signal("SIGTERM");
    expect((await p.exited).code).toBe(0);
  });

  it("reloads workers one by one on SIGHUP under load with zero failed requests", TIMEOUT, async () => {
    const p = startCluster();
    const url = await p.url();
    const load = startLoad({ url, connections: 8 });
    await sleep(800);
    const before = pidsSince(load.result, 0);
    p.signal("SIGHUP");
    const done = await p.waitFor((l) => l.msg === "reload complete", 40_000);
    const reloadedAt = Date.now();
    const answers = await Promise.all(Array.from({ length: 4 }, () => fresh(url)));
    await sleep(300);
    const result = await load.stop();

    expect(failures(result), summary(result)).toBe(0);
    expect(result.statuses).toEqual({});
    const after = new Set([...pidsSince(result, reloadedAt), ...answers.map((a) => a.pid)]);
    for (const pid of after) expect(before.has(pid)).toBe(false);
    expect(new Set((done.pids as number[]).map(String))).toEqual(after);
    p.signal("SIGTERM");
    expect((await p.exited).code).toBe(0);
    // Two old and two new workers ran their cleanup, and every request they finished was received.
    expect(p.stats).toHaveLength(4);
    expect(served(p).finished).toBe(result.ok + answers.length);
  });

  it("recycles workers after maxRequestsPerWorker without failing a request", TIMEOUT, async () => {
    const p = startCluster(["--max-requests", "1500", "--max-requests-jitter", "100"]);
    const url = await p.url();
    const load = startLoad({ url, connections: 8 });
    await p.waitFor((l) => l.msg === "worker stopped", 30_000);
    await sleep(300);
    const result = await load.stop();

    expect(failures(result), summary(result)).toBe(0);
    expect(result.statuses).toEqual({});
    expect(p.count("request budget spent, asking for a replacement")).toBeGreaterThan(0);
    p.signal("SIGTERM");
    expect((await p.exited).code).toBe(0);
    expect(served(p).finished).toBe(result.ok);
  });
});
