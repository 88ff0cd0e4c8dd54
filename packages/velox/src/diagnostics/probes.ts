import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import { getHeapSpaceStatistics, getHeapStatistics, writeHeapSnapshot } from "node:v8";

/** Longest CPU profile taken in one request. */
export const MAX_PROFILE_SECONDS = 120;

let profiling = false;

/** Whether a CPU profile is being taken in this process (only one at a time). */
export function isProfiling(): boolean {
  return profiling;
}

/**
 * Profiles this process's CPU for `seconds` with the V8 inspector and returns the profile in
 * Chrome DevTools' `.cpuprofile` format (open it in DevTools' Performance panel or speedscope).
 * Throws if a profile is already being taken.
 *
 * @example
 * ```ts
 * writeFileSync("app.cpuprofile", JSON.stringify(await cpuProfile(10)));
 * ```
 */
export async function cpuProfile(seconds: number, signal?: AbortSignal): Promise<object> {
  if (profiling) throw new Error("a CPU profile is already being taken in this process");
  profiling = true;
  const session = new Session();
  try {
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 1000 });
    await session.post("Profiler.start");
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, seconds * 1000);
      signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
    const { profile } = await session.post("Profiler.stop");
    return profile;
  } finally {
    session.disconnect();
    profiling = false;
  }
}

/**
 * V8 heap figures and the process's memory use, in bytes.
 *
 * @example
 * ```ts
 * heapStatistics().heap.used_heap_size; // 24117248
 * ```
 */
export function heapStatistics(): object {
  return {
    pid: process.pid,
    memory: process.memoryUsage(),
    heap: getHeapStatistics(),
    spaces: getHeapSpaceStatistics().map((s) => ({ name: s.space_name, size: s.space_size, used: s.space_used_size, available: s.space_available_size })),
  };
}

/**
 * Writes a heap snapshot of this process to a new file in the temp directory and returns its path.
 * The process stops serving while V8 writes it (seconds for a large heap), and the file may
 * contain any secret the heap holds: keep it as private as the process.
 *
 * @example
 * ```ts
 * const file = takeHeapSnapshot(); // /tmp/velox-1234-1733040000000.heapsnapshot
 * ```
 */
export function takeHeapSnapshot(dir = tmpdir()): string {
  return writeHeapSnapshot(join(dir, `velox-${process.pid}-${Date.now()}.heapsnapshot`));
}

let histogram: IntervalHistogram | null = null;

/** Starts sampling event-loop delay (10 ms resolution); idempotent. */
export function startEventLoopMonitor(): void {
  if (histogram !== null) return;
  histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
}

const ms = (ns: number): number => Math.round(ns / 1e4) / 100;

/**
 * Event-loop delay percentiles in milliseconds since the monitor started (or the last reset).
 *
 * @example
 * ```ts
 * eventLoopDelay(); // { pid, samples: 5210, minMs: 10.01, meanMs: 10.2, p50Ms: 10.1, p90Ms: 10.4, p99Ms: 12.3, maxMs: 48.2 }
 * ```
 */
export function eventLoopDelay(reset = false): object {
  startEventLoopMonitor();
  const h = histogram!;
  const result = {
    pid: process.pid,
    samples: h.count,
    minMs: ms(h.min),
    meanMs: ms(h.mean),
    p50Ms: ms(h.percentile(50)),
    p90Ms: ms(h.percentile(90)),
    p99Ms: ms(h.percentile(99)),
    maxMs: ms(h.max),
  };
  if (reset) h.reset();
  return result;
}

/**
 * The resources keeping this process's event loop alive, counted by kind (`TCPSocketWrap`,
 * `Timeout`, `FSReqCallback`…).
 *
 * @example
 * ```ts
 * activeHandles(); // { pid, total: 12, byType: { TCPSocketWrap: 8, Timeout: 3, TCPServerWrap: 1 } }
 * ```
 */
export function activeHandles(): object {
  const byType: Record<string, number> = {};
  const resources = process.getActiveResourcesInfo();
  for (const type of resources) byType[type] = (byType[type] ?? 0) + 1;
  return { pid: process.pid, total: resources.length, byType };
}
