import { describe, expect, it } from "vitest";
import { silentLogger } from "../index.ts";
import { Readiness } from "./readiness.ts";

describe("Readiness", () => {
  it("shares one run among probes that arrive while it is in progress", async () => {
    let calls = 0;
    const readiness = new Readiness([{ name: "db", check: async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 30));
    } }], silentLogger);
    const reports = await Promise.all([readiness.run(), readiness.run(), readiness.run()]);
    expect(calls).toBe(1);
    expect(reports.every((r) => r.ready)).toBe(true);
    await readiness.run();
    expect(calls).toBe(2);
  });

  it("treats a throw, a false and a timeout as failures, and optional checks as degradation", async () => {
    const readiness = new Readiness([
      { name: "throws", critical: false, check: () => { throw new Error("x"); } },
      { name: "false", critical: false, check: () => false },
      { name: "slow", critical: false, timeoutMs: 20, check: () => new Promise((resolve) => setTimeout(resolve, 500)) },
    ], silentLogger);
    const report = await readiness.run();
    expect(report.ready).toBe(true);
    expect(report.degraded).toBe(true);
    expect(Object.values(report.checks).map((c) => c.status)).toEqual(["fail", "fail", "timeout"]);
  });
});
