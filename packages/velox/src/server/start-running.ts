import type { Server } from "node:http";
import { bunRuntime } from "../runtime/bun/bun-types.ts";
import { RunningBunServer } from "../runtime/bun/running-bun-server.ts";
import type { ResolvedServeOptions } from "./options.ts";
import { RunningServer, type RunHooks, type ServableApp } from "./running-server.ts";

/** What `serve()` needs of one process's server, on either runtime. */
export interface Running {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** node's HTTP server (null on Bun). */
  readonly server: Server | null;
  readonly draining: boolean;
  shutdown(reason: string): Promise<boolean>;
}

/**
 * Starts one process's server on the runtime this process runs in: node's `http` server, or
 * `Bun.serve` under Bun (with `reusePort` when it is one of several workers). The same app module
 * runs on both.
 *
 * @example
 * ```ts
 * const running = await startRunning(app, resolved, {}, false);
 * console.log(running.url);
 * ```
 */
export async function startRunning(app: ServableApp, options: ResolvedServeOptions, hooks: RunHooks, sharedPort: boolean): Promise<Running> {
  const bun = bunRuntime();
  if (bun !== undefined) return RunningBunServer.start(bun, app, options, hooks, sharedPort);
  return RunningServer.start(app, options, hooks);
}
