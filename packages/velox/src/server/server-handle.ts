import type { Server } from "node:http";

/**
 * A running server as `serve()` returns it, whichever role this process has:
 * `single` (one process, `workers: 0`), `primary` (supervises workers) or `worker`.
 *
 * @example
 * ```ts
 * const handle = await serve(app, { port: 0, workers: 0, handleSignals: false });
 * await fetch(`${handle.url}/health`);
 * await handle.shutdown();
 * ```
 */
export interface ServerHandle {
  readonly role: "single" | "primary" | "worker";
  /** `http://host:port`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Node's HTTP server of this process (`null` in the primary, which serves nothing itself). */
  readonly server: Server | null;
  /** True once a shutdown has begun. */
  readonly draining: boolean;
  /** Worker process ids (primary only; empty elsewhere). */
  readonly workerPids: readonly number[];
  /** The primary's cluster `/metrics` when `metricsPort` is set (primary only). */
  readonly metricsUrl?: string | null;
  /** Resolves with the exit code this server chose once it has stopped (a worker exits instead). */
  readonly closed: Promise<number>;
  /** Graceful shutdown without exiting the process: drain, then `app.close()`. */
  shutdown(): Promise<void>;
}

/** `http://host:port`, bracketing IPv6 hosts. @internal */
export function formatUrl(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}
