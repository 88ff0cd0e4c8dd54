/**
 * Integration: counts raw node:http's GET /json under callgrind (about 20 s of one core). Needs
 * valgrind; without it the test is skipped and says why.
 */
import { afterAll, describe, expect, it } from "vitest";
import { removeCompiledServers } from "../compile-server.ts";
import { findServer } from "../registry.ts";
import type { RunningServer } from "../server-process.ts";
import { WORKLOADS } from "../workloads.ts";
import { measureCell } from "./measure-cell.ts";
import { callgrindMissing } from "./under-callgrind.ts";

const missing = callgrindMissing();

describe("measureCell", () => {
  afterAll(removeCompiledServers);
  it.skipIf(missing !== null)(`counts instructions per request of raw node:http on GET /json${missing ? ` — skipped: ${missing}` : ""}`, async () => {
    const started: RunningServer[] = [];
    const cell = await measureCell(findServer("raw")!, WORKLOADS.find((w) => w.name === "json")!, { warmupRequests: 10_000, requests: 1000, connections: 4 }, (s) => started.push(s));
    expect(cell.error).toBeNull();
    // About 61,000 with Node 20 once V8 has optimized the path; below 3,000 warm-up requests it is several times that.
    expect(cell.perRequest).toBeGreaterThan(40_000);
    expect(cell.perRequest).toBeLessThan(90_000);
    const [first, second] = cell.halves!;
    expect(Math.abs(first - second) / cell.perRequest!).toBeLessThan(0.05);
    expect(started).toHaveLength(1);
    expect(started[0]!.cpuSeconds(), "the server was stopped").toBeNull();
  }, 120_000);
});
