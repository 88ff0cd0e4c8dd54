/**
 * Regression (issue 12, defect 4): during a cluster's drain, connections the primary had accepted
 * but not yet handed to a worker were closed when the last worker stopped listening (node's
 * round-robin closes its queue with its listener): clients saw resets on brand-new connections
 * that never got a byte. Now the primary stops accepting first and every connection it accepted
 * is served, so a client only ever sees its connect refused.
 */
import { afterEach, describe, expect, it } from "vitest";
import { sleep, startLoad } from "../server/helpers/load.ts";
import { send, type Reply } from "../server/helpers/raw.ts";
import { FIXTURE, killAll, VeloxProcess } from "../server/helpers/velox-process.ts";

afterEach(() => killAll());

function startCluster(): VeloxProcess {
  // No load shedding: the first test stalls both workers on purpose.
  return new VeloxProcess(["run", FIXTURE, "--workers", "2", "--port", "0", "--shutdown-timeout", "8000", "--max-event-loop-delay", "0"]);
}

describe("connections accepted while a cluster drains", () => {
  it("are served when they were waiting for a busy worker as the shutdown began", { timeout: 90_000 }, async () => {
    const p = startCluster();
    const url = await p.url(60_000);
    // Both workers stall for a moment (one /block each, round robin), so the connections opened
    // meanwhile wait in the primary when SIGTERM arrives — the queue node's round-robin dropped.
    const blocked = [send(`${url}/block?ms=1500`), send(`${url}/block?ms=1500`)];
    await sleep(300);
    const waiting: Promise<Reply | string>[] = Array.from({ length: 12 }, () =>
      send(`${url}/json`).catch((err: NodeJS.ErrnoException) => err.code ?? String(err)),
    );
    await sleep(300);
    p.signal("SIGTERM");
    const answers = await Promise.all(waiting);
    await Promise.all(blocked);
    const exit = await p.exited;

    expect(answers.map((a) => (typeof a === "string" ? a : a.status))).toEqual(Array(12).fill(200));
    expect(exit.code).toBe(0);
  });

  it("are never reset under keep-alive load (wrk's pattern): connects are refused once the listener closed", { timeout: 90_000 }, async () => {
    const p = startCluster();
    const url = await p.url(60_000);
    const load = startLoad({ url, connections: 32 });
    await sleep(1_000);
    p.signal("SIGTERM");
    const exit = await p.exited;
    const result = await load.stop();

    expect(exit.code).toBe(0);
    expect(result.ok).toBeGreaterThan(100);
    expect(result.statuses).toEqual({});
    expect(Object.keys(result.errors).filter((code) => code !== "ECONNREFUSED"), JSON.stringify(result.errors)).toEqual([]);
    const finished = p.stats.reduce((sum, s) => sum + s.finished, 0);
    expect(finished).toBe(result.ok);
  });
});
