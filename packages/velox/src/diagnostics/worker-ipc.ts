import { inVeloxWorker } from "../metrics/cluster/worker-side.ts";
import { isDiagMessage, type DiagMessage, type DiagnosticArgs, type DiagnosticOp } from "./protocol.ts";
import { runDiagnostic } from "./run-op.ts";

/** A diagnostic that failed with an HTTP status to answer. */
export class DiagnosticError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function send(message: DiagMessage): void {
  if (process.connected) process.send?.(message);
}

let serving = false;

/**
 * In a cluster worker, runs the diagnostics the primary relays from other workers. Idempotent.
 *
 * @example
 * ```ts
 * if (inVeloxWorker()) serveDiagnosticsToPrimary();
 * ```
 */
export function serveDiagnosticsToPrimary(): void {
  if (serving || !inVeloxWorker()) return;
  serving = true;
  process.on("message", (message: unknown) => {
    if (!isDiagMessage(message) || message.velox !== "diag:run") return;
    runDiagnostic(message.op, message.args).then(
      (result) => send({ velox: "diag:result", id: message.id, ok: true, result }),
      (err: unknown) => send({ velox: "diag:result", id: message.id, ok: false, status: 409, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}

let nextId = 0;

function ask<T>(message: DiagMessage & { id: number }, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      process.off("message", onMessage);
    };
    const onMessage = (reply: unknown): void => {
      if (!isDiagMessage(reply) || reply.velox !== "diag:result" || reply.id !== message.id) return;
      done();
      if (reply.ok) resolve(reply.result as T);
      else reject(new DiagnosticError(reply.status, reply.error));
    };
    const timer = setTimeout(() => {
      done();
      reject(new DiagnosticError(504, "the worker did not answer in time"));
    }, timeoutMs);
    process.on("message", onMessage);
    send(message);
  });
}

/**
 * Runs a diagnostic in the worker with process id `pid`, through the primary.
 *
 * @example
 * ```ts
 * const delay = await diagnoseWorker(4242, "event-loop", {}, 5000);
 * ```
 */
export function diagnoseWorker(pid: number, op: DiagnosticOp, args: DiagnosticArgs, timeoutMs: number): Promise<unknown> {
  if (!inVeloxWorker()) return Promise.reject(new DiagnosticError(404, `no worker with pid ${pid}: this server runs without workers`));
  return ask({ velox: "diag:forward", id: ++nextId, pid, op, args, timeoutMs }, timeoutMs + 1_000);
}

/**
 * The process ids of the cluster's workers (this process's alone without a cluster).
 *
 * @example
 * ```ts
 * await workerPids(); // [4242, 4243]
 * ```
 */
export function workerPids(): Promise<number[]> {
  if (!inVeloxWorker()) return Promise.resolve([process.pid]);
  return ask<number[]>({ velox: "diag:workers", id: ++nextId }, 2_000);
}
