import { rm } from "node:fs/promises";
import type { Plugin } from "../app.ts";
import type { Dependency } from "../di/dependency.ts";
import { VeloxError } from "../errors.ts";
import { HTTPException } from "../http-exception.ts";
import { FileResponse } from "../responses/file.ts";
import { JSONResponse } from "../responses/simple.ts";
import { MAX_PROFILE_SECONDS, startEventLoopMonitor } from "./probes.ts";
import type { DiagnosticArgs, DiagnosticOp } from "./protocol.ts";
import { runDiagnostic } from "./run-op.ts";
import { diagnoseWorker, DiagnosticError, serveDiagnosticsToPrimary, workerPids } from "./worker-ipc.ts";

/** Options of {@link diagnostics}. */
export interface DiagnosticsOptions {
  /**
   * The dependency that guards every endpoint (an admin scope, an API key…): it must reject who
   * may not profile the process. Required: there is no unprotected mode.
   */
  security: Dependency<any>;
  /** Mount point (default `/_diagnostics`). */
  prefix?: string;
  /** Register the endpoints at all (default true), e.g. `enabled: settings.diagnostics`. */
  enabled?: boolean;
  /** Longest wait for another worker's answer, past a CPU profile's own length (default 10 s). */
  workerTimeoutMs?: number;
}

function query(url: string): URLSearchParams {
  const q = url.indexOf("?");
  return new URLSearchParams(q === -1 ? "" : url.slice(q + 1));
}

function integerParam(params: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  const n = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) throw new HTTPException(422, `${name} must be an integer from ${min} to ${max}`);
  return n;
}

/**
 * A Velox plugin mounting diagnostics behind a security dependency of your choosing:
 *
 * - `GET /_diagnostics/cpu-profile?seconds=N` — a V8 CPU profile (`.cpuprofile`, open in Chrome
 *   DevTools or speedscope), 1…120 s, one at a time per process (409 otherwise);
 * - `GET /_diagnostics/heap` — V8 heap statistics and memory use;
 * - `GET /_diagnostics/heap-snapshot` — a `.heapsnapshot` (the process pauses while it is written);
 * - `GET /_diagnostics/event-loop[?reset=1]` — event-loop delay percentiles;
 * - `GET /_diagnostics/handles` — active handles by kind;
 * - `GET /_diagnostics/workers` — the cluster's worker pids.
 *
 * Every endpoint takes `?worker=<pid>`: under `velox run --workers N` the worker that receives
 * the request has the primary relay it to that worker, so each worker can be examined.
 *
 * @example
 * ```ts
 * import { diagnostics } from "velox/diagnostics";
 *
 * const admin = security(oauth2, { scopes: ["admin"] });
 * app.register(diagnostics({ security: admin, enabled: settings.diagnosticsEnabled }));
 * // curl -H "authorization: Bearer …" "http://127.0.0.1:8000/_diagnostics/cpu-profile?seconds=10" > app.cpuprofile
 * ```
 */
export function diagnostics(options: DiagnosticsOptions): Plugin {
  if (options === undefined || options.security === undefined) {
    throw new VeloxError("VX_INVALID_OPTION", "diagnostics(): a security dependency is required (it decides who may profile the process)");
  }
  const prefix = options.prefix ?? "/_diagnostics";
  if (!prefix.startsWith("/") || prefix.endsWith("/")) throw new VeloxError("VX_INVALID_OPTION", `diagnostics(): prefix must start with "/" and not end with one, got ${JSON.stringify(prefix)}`);
  const workerTimeoutMs = options.workerTimeoutMs ?? 10_000;
  return (app) => {
    if (options.enabled === false) return;
    startEventLoopMonitor();
    serveDiagnosticsToPrimary();
    const route = { dependencies: [options.security], includeInSchema: false } as const;

    const run = async (url: string, op: DiagnosticOp, args: DiagnosticArgs): Promise<unknown> => {
      const pid = integerParam(query(url), "worker", 1, 2 ** 31);
      try {
        if (pid === undefined || pid === process.pid) return await runDiagnostic(op, args);
        return await diagnoseWorker(pid, op, args, workerTimeoutMs + (args.seconds ?? 0) * 1000);
      } catch (err) {
        if (err instanceof DiagnosticError) throw new HTTPException(err.status, err.message);
        if (err instanceof Error && /already being taken/.test(err.message)) throw new HTTPException(409, err.message);
        throw err;
      }
    };
    const stamp = (): string => new Date().toISOString().replace(/[:.]/g, "-");

    app.get(`${prefix}/cpu-profile`, route, async ({ url }) => {
      const seconds = integerParam(query(url), "seconds", 1, MAX_PROFILE_SECONDS) ?? 10;
      const profile = await run(url, "cpu-profile", { seconds });
      return new JSONResponse(profile, { headers: { "content-disposition": `attachment; filename="velox-${stamp()}.cpuprofile"`, "cache-control": "no-store" } });
    });
    app.get(`${prefix}/heap`, route, ({ url }) => run(url, "heap", {}));
    app.get(`${prefix}/heap-snapshot`, route, async ({ url, background }) => {
      const { file } = (await run(url, "heap-snapshot", {})) as { file: string };
      background.add(() => rm(file, { force: true }));
      return new FileResponse(file, { filename: `velox-${stamp()}.heapsnapshot`, mediaType: "application/json", headers: { "cache-control": "no-store" } });
    });
    app.get(`${prefix}/event-loop`, route, ({ url }) => run(url, "event-loop", { reset: query(url).get("reset") === "1" }));
    app.get(`${prefix}/handles`, route, ({ url }) => run(url, "handles", {}));
    app.get(`${prefix}/workers`, route, async () => ({ pids: await workerPids() }));
  };
}
