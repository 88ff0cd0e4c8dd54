/**
 * Diagnostics messages across a cluster. A worker serving a diagnostics request for another
 * worker sends `forward` to the primary, which sends `run` to the target (with its own relay id),
 * and relays the target's `result` back. `workers` asks the primary for the workers' pids.
 */

/** The operations a worker runs on request. */
export type DiagnosticOp = "cpu-profile" | "heap" | "heap-snapshot" | "event-loop" | "handles";

export interface DiagnosticArgs {
  seconds?: number;
  reset?: boolean;
}

export type DiagMessage =
  | { velox: "diag:forward"; id: number; pid: number; op: DiagnosticOp; args: DiagnosticArgs; timeoutMs: number }
  | { velox: "diag:workers"; id: number }
  | { velox: "diag:run"; id: number; op: DiagnosticOp; args: DiagnosticArgs }
  | { velox: "diag:result"; id: number; ok: true; result: unknown }
  | { velox: "diag:result"; id: number; ok: false; status: number; error: string };

/** Whether `message` is a diagnostics message. */
export function isDiagMessage(message: unknown): message is DiagMessage {
  if (typeof message !== "object" || message === null) return false;
  const tag = (message as { velox?: unknown }).velox;
  return typeof tag === "string" && tag.startsWith("diag:");
}
