import { describe, expect, it } from "vitest";
import { parseArgs } from "./args.ts";

describe("parseArgs", () => {
  it("defaults to the method: 3 runs of 10 s after 3 s of warm-up, all workloads", () => {
    expect(parseArgs([])).toMatchObject({ mode: "bench", runs: 3, seconds: 10, warmup: 3, connections: 50, workloads: ["json", "users", "items"], only: null });
  });

  it("--quick shortens every cell unless a number is given explicitly", () => {
    expect(parseArgs(["--quick"])).toMatchObject({ runs: 1, seconds: 3, warmup: 1 });
    expect(parseArgs(["--quick", "--duration", "5"])).toMatchObject({ runs: 1, seconds: 5 });
  });

  it("reads --only, --workloads and --serve", () => {
    expect(parseArgs(["--only", "velox,raw", "--workloads", "users"])).toMatchObject({ only: ["velox", "raw"], workloads: ["users"] });
    expect(parseArgs(["--serve", "velox", "--port", "4000"])).toMatchObject({ mode: "serve", serve: "velox", port: 4000 });
  });

  it("--workers asks for the multi-worker table, which pins nothing", () => {
    expect(parseArgs([])).toMatchObject({ workers: 1, pin: true });
    expect(parseArgs(["--workers", "2"])).toMatchObject({ workers: 2, pin: false });
    expect(() => parseArgs(["--workers", "0"])).toThrow(/--workers/);
    expect(() => parseArgs(["--workers", "1.5"])).toThrow(/--workers/);
  });

  it("--instructions counts 5,000 requests after the server's default warm-up unless told otherwise", () => {
    expect(parseArgs(["--instructions"])).toMatchObject({ mode: "instructions", requests: 5000, warmupRequests: null });
    expect(parseArgs(["--instructions", "--only", "raw", "--requests", "500", "--warmup-requests", "0"]))
      .toMatchObject({ mode: "instructions", only: ["raw"], requests: 500, warmupRequests: 0 });
    expect(() => parseArgs(["--instructions", "--requests", "1"])).toThrow(/--requests needs a whole number >= 2/);
    expect(() => parseArgs(["--instructions", "--requests", "2.5"])).toThrow(/--requests/);
    expect(() => parseArgs(["--instructions", "--warmup-requests", "-1"])).toThrow(/--warmup-requests/);
    expect(() => parseArgs(["--instructions", "--workers", "2"])).toThrow(/does not take --workers/);
  });

  it("rejects unknown flags and workloads", () => {
    expect(() => parseArgs(["--fast"])).toThrow(/unknown flag/);
    expect(() => parseArgs(["--workloads", "json,db"])).toThrow(/unknown workload/);
  });
});
