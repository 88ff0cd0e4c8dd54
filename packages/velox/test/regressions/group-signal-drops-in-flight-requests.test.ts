/**
 * Regression (issue 12, defect 3): SIGTERM or SIGINT sent to the whole process group — Ctrl-C in
 * a terminal, systemd's `KillMode=control-group` — reached each worker twice over: once as the
 * signal, once as the primary's shutdown message. When the message came first, the worker took
 * the signal for "a second signal", exited 143 at once and lost its in-flight requests; the
 * primary then exited 1. Workers must drain exactly as when only the primary is signalled.
 */
import { afterEach, describe, expect, it } from "vitest";
import { failures, sleep, startLoad } from "../server/helpers/load.ts";
import { send } from "../server/helpers/raw.ts";
import { FIXTURE, killAll, VeloxProcess } from "../server/helpers/velox-process.ts";

const TIMEOUT = { timeout: 90_000 };

function startCluster(): VeloxProcess {
  return new VeloxProcess(["run", FIXTURE, "--workers", "2", "--port", "0", "--shutdown-timeout", "8000"]);
}

function workerPids(p: VeloxProcess): number[] {
  return p.logs.filter((l) => l.msg === "worker ready").map((l) => Number(l.pid));
}

afterEach(() => killAll());

describe("a signal to the whole process group", () => {
  it("does not count as a second signal in a worker that the primary already told to drain", TIMEOUT, async () => {
    const p = startCluster();
    const url = await p.url(60_000);
    const slow = Array.from({ length: 4 }, () => send(`${url}/slow?ms=1500`));
    await sleep(300);
    // The order that lost requests, made certain: the primary's message first, the signal after.
    p.signal("SIGTERM");
    const workers = workerPids(p);
    expect(workers).toHaveLength(2);
    for (const pid of workers) await p.waitFor((l) => l.msg === "shutting down: draining connections" && l.pid === pid);
    for (const pid of workers) process.kill(pid, "SIGTERM");
    const replies = await Promise.all(slow);
    const exit = await p.exited;

    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(p.logs.filter((l) => l.msg === "worker stopped").map((l) => l.code)).toEqual([0, 0]);
    expect(p.count("second signal, exiting now")).toBe(0);
    expect(exit.code).toBe(0);
  });

  it("drains under load with zero failed requests and exit 0 (SIGTERM to the group)", TIMEOUT, async () => {
    const p = startCluster();
    const url = await p.url(60_000);
    const load = startLoad({ url, connections: 8 });
    await sleep(800);
    const slow = Array.from({ length: 4 }, () => send(`${url}/slow?ms=1200`));
    await sleep(200);
    process.kill(-p.child.pid!, "SIGTERM");
    const exit = await p.exited;
    const result = await load.stop();
    const replies = await Promise.all(slow);

    expect(exit.code).toBe(0);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(p.logs.filter((l) => l.msg === "worker stopped").map((l) => l.code)).toEqual([0, 0]);
    // Refused connects are the closed listener; anything else is a request that was lost.
    const lost = failures(result) - (result.errors.ECONNREFUSED ?? 0);
    expect(lost, JSON.stringify(result.errors)).toBe(0);
    expect(result.statuses).toEqual({});
    const finished = p.stats.reduce((sum, s) => sum + s.finished, 0);
    expect(finished).toBe(result.ok + replies.length);
  });
});
