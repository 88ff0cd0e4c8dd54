import { describe, expect, it } from "vitest";
import { findServer } from "../registry.ts";
import type { CellResult } from "./measure-cell.ts";
import { cellDetails, halvesSpreadPct, instructionsTable, ratioToRaw, type InstructionsReport } from "./report.ts";

const cell = (server: string, perRequest: number | null, error: string | null = null): CellResult => ({
  server, workload: "json", warmupRequests: 10_000, perRequest, halves: perRequest === null ? null : [perRequest - 10, perRequest + 10], seconds: 30.4, error,
});

const CELLS = [cell("raw", 60_000), cell("velox", 61_200), cell("fastify", null, "fastify failed to start: exited early (1)\nstack")];

const report: InstructionsReport = {
  date: "2026-11-23T00:00:00.000Z",
  settings: { requests: 5000, connections: 4 },
  machine: { nproc: 2, cpu: "test", kernel: "6", versions: {} },
  valgrind: "valgrind-3.19.0",
  servers: ["raw", "velox", "fastify"].map((n) => findServer(n)!),
  workloads: ["json"],
  cells: CELLS,
  notes: [],
};

describe("instructions report", () => {
  it("gives each cell its ratio to raw on the same workload", () => {
    expect(ratioToRaw(CELLS, CELLS[1]!)).toBeCloseTo(1.02, 5);
    expect(ratioToRaw(CELLS, CELLS[2]!)).toBeNull();
    expect(ratioToRaw([CELLS[1]!], CELLS[1]!)).toBeNull();
  });

  it("measures how far the two halves are apart", () => {
    expect(halvesSpreadPct([99, 101])).toBeCloseTo(2, 10);
    expect(halvesSpreadPct([101, 99])).toBeCloseTo(2, 10);
  });

  it("tables the figures and marks failed cells with the first line of their error", () => {
    const table = instructionsTable(report);
    expect(table).toContain("| raw node:http (hand-written validation) | 60,000 (1.00) |");
    expect(table).toContain("| Velox | 61,200 (1.02) |");
    expect(table).toContain("| Fastify 5 + TypeBox | failed |");
    const details = cellDetails(report);
    expect(details).toContain("| velox | json | 10,000 | 61,190 | 61,210 | 0.0 % | 30 s |");
    expect(details).toContain("failed: fastify failed to start: exited early (1) |");
    expect(details).not.toContain("stack");
  });
});
