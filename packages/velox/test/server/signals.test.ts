/** Signals and fatal errors in a real single-process server (`velox run --workers 0`). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send } from "./helpers/raw.ts";
import { FIXTURE, killAll, VeloxProcess } from "./helpers/velox-process.ts";

const TIMEOUT = { timeout: 60_000 };

function single(shutdownMs: number): VeloxProcess {
  return new VeloxProcess(["run", FIXTURE, "--workers", "0", "--port", "0", "--shutdown-timeout", String(shutdownMs)]);
}

const processes: Record<"graceful" | "deadline" | "twice" | "uncaught", VeloxProcess> = {} as never;

beforeAll(async () => {
  // Booted together: on a 2-core machine four sequential boots would dominate the suite's time.
  processes.graceful = single(10_000);
  processes.deadline = single(1_500);
  processes.twice = single(20_000);
  processes.uncaught = single(10_000);
  await Promise.all(Object.values(processes).map((p) => p.url(45_000)));
}, 60_000);

afterAll(() => killAll());

describe("a single-process server", () => {
  it("drains on SIGTERM: the in-flight request finishes, lifespan cleanup runs, exit 0", TIMEOUT, async () => {
    const p = processes.graceful;
    const url = await p.url();
    const slow = send(`${url}/slow?ms=700`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    p.signal("SIGTERM");
    const reply = await slow;
    expect([reply.status, reply.headers.connection]).toEqual([200, "close"]);
    const exit = await p.exited;
    expect(exit.code).toBe(0);
    expect(p.stats).toEqual([expect.objectContaining({ started: 1, finished: 1 })]);
  });

  it("exits 1 at the shutdown deadline when a request does not finish", TIMEOUT, async () => {
    const p = processes.deadline;
    const url = await p.url();
    const hanging = send(`${url}/slow?ms=20000`).catch(() => "cut");
    await new Promise((resolve) => setTimeout(resolve, 200));
    const signalled = Date.now();
    p.signal("SIGTERM");
    const exit = await p.exited;
    expect(exit.code).toBe(1);
    expect(exit.at - signalled).toBeLessThan(1_500 + 1_000);
    expect(await hanging).toBe("cut");
  });

  it("exits at once on a second signal", TIMEOUT, async () => {
    const p = processes.twice;
    const url = await p.url();
    void send(`${url}/slow?ms=20000`).catch(() => "cut");
    await new Promise((resolve) => setTimeout(resolve, 200));
    p.signal("SIGTERM");
    await p.waitFor((l) => l.msg === "shutting down: draining connections");
    const second = Date.now();
    p.signal("SIGTERM");
    const exit = await p.exited;
    expect(exit.code).toBe(128 + 15);
    expect(exit.at - second).toBeLessThan(2_000);
  });

  it("drains and exits non-zero on an uncaught exception, finishing in-flight requests", TIMEOUT, async () => {
    const p = processes.uncaught;
    const url = await p.url();
    const slow = send(`${url}/slow?ms=800`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await send(`${url}/boom`)).status).toBe(200);
    const reply = await slow;
    expect(reply.status).toBe(200);
    const exit = await p.exited;
    expect(exit.code).toBe(1);
    expect(p.logs.some((l) => l.msg === "uncaught exception, draining and exiting")).toBe(true);
    expect(p.stats).toHaveLength(1);
  });
});
