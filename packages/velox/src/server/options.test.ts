import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { silentLogger, VeloxError } from "../index.ts";
import { resolveServeOptions } from "./options.ts";

describe("resolveServeOptions", () => {
  it("fills in production defaults", () => {
    const o = resolveServeOptions({}, silentLogger);
    expect(o).toMatchObject({
      host: "127.0.0.1",
      port: 8000,
      workers: availableParallelism(),
      headersTimeout: 10_000,
      requestTimeout: 60_000,
      keepAliveTimeout: 65_000,
      maxHeaderSize: 16_384,
      backlog: 511,
      healthPath: "/health",
      readyPath: "/ready",
      shutdownTimeoutMs: 25_000,
      maxEventLoopDelayMs: 1_000,
      handleSignals: true,
    });
    expect(o.logger).toBe(silentLogger);
  });

  it("derives the recycling jitter from the maximum unless given", () => {
    expect(resolveServeOptions({ maxRequestsPerWorker: 1_000 }, silentLogger).maxRequestsJitter).toBe(100);
    expect(resolveServeOptions({ maxRequestsPerWorker: 1_000, maxRequestsJitter: 0 }, silentLogger).maxRequestsJitter).toBe(0);
  });

  it("rejects impossible settings at startup", () => {
    expect(() => resolveServeOptions({ port: -1 }, silentLogger)).toThrow(VeloxError);
    expect(() => resolveServeOptions({ port: 70_000 }, silentLogger)).toThrow(/port/);
    expect(() => resolveServeOptions({ workers: 1.5 }, silentLogger)).toThrow(/workers/);
    expect(() => resolveServeOptions({ headersTimeout: 5_000, requestTimeout: 1_000 }, silentLogger)).toThrow(/headersTimeout/);
    expect(() => resolveServeOptions({ healthPath: "health" }, silentLogger)).toThrow(/healthPath/);
    expect(() => resolveServeOptions({ readinessChecks: [{ name: "x" } as never] }, silentLogger)).toThrow(/readiness check/);
    expect(() => resolveServeOptions({ sampleIntervalMs: 0 }, silentLogger)).toThrow(/sampleIntervalMs/);
  });
});
