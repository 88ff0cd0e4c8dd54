import { activeHandles, cpuProfile, eventLoopDelay, heapStatistics, takeHeapSnapshot } from "./probes.ts";
import type { DiagnosticArgs, DiagnosticOp } from "./protocol.ts";

/**
 * Runs one diagnostic operation in this process. A heap snapshot is returned as the path of the
 * file written (the caller streams and deletes it).
 *
 * @example
 * ```ts
 * const stats = await runDiagnostic("heap", {});
 * ```
 */
export async function runDiagnostic(op: DiagnosticOp, args: DiagnosticArgs): Promise<unknown> {
  switch (op) {
    case "cpu-profile":
      return cpuProfile(args.seconds ?? 10);
    case "heap":
      return heapStatistics();
    case "heap-snapshot":
      return { pid: process.pid, file: takeHeapSnapshot() };
    case "event-loop":
      return eventLoopDelay(args.reset === true);
    case "handles":
      return activeHandles();
  }
}
