import cluster from "node:cluster";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { consoleLogger } from "../../logger.ts";
import { startPrimary } from "../cluster/primary.ts";
import { resolveServeOptions, type ServeOptions } from "../options.ts";
import { serve } from "../serve.ts";
import { ServeError } from "../serve-error.ts";
import { HELP, parseCommand } from "./args.ts";
import { runDev } from "./dev.ts";
import { writeOpenAPI } from "../../openapi/cli.ts";
import { loadApp, splitModuleSpec } from "./load-app.ts";
import type { ServableApp } from "../running-server.ts";
import { formatError, paletteFor } from "./pretty.ts";
import { ensureTypeScriptLoader, explainLoadError } from "./typescript-loader.ts";

const BIN = fileURLToPath(new URL("../../../bin/velox.js", import.meta.url));

/** Exit codes of the CLI. */
const EXIT = { usage: 2, load: 1, boot: 3 } as const;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

function report(err: unknown): void {
  if (process.stderr.isTTY) process.stderr.write(formatError(err, paletteFor(process.stderr)));
  else consoleLogger().error({ err }, err instanceof Error ? err.message : "failed to start");
}

/** Settings `velox dev` changes: fast restarts, no load shedding while a debugger pauses the loop. */
function devDefaults(options: ServeOptions): ServeOptions {
  return { shutdownTimeoutMs: 3_000, idleGraceMs: 0, keepAliveTimeout: 5_000, maxEventLoopDelayMs: 0, ...options };
}

/** Imports the user's module once a loader for it is in place (TypeScript without a build). */
async function importApp<T>(file: string, load: () => Promise<T>): Promise<T> {
  const path = resolve(process.cwd(), file);
  if (existsSync(path)) await ensureTypeScriptLoader(path);
  try {
    return await load();
  } catch (err) {
    throw explainLoadError(err, path);
  }
}

/** Adds the access log to an app that has none (`velox dev`, `velox run --access-log`). */
async function addAccessLog(app: ServableApp): Promise<void> {
  const { accessLog, hasAccessLog } = await import("../../logging/access-log.ts");
  const host = app as ServableApp & { addHook?: unknown };
  if (typeof host.addHook === "function" && !hasAccessLog(app)) accessLog()(app as never);
}

async function run(module: string, options: ServeOptions, dev: boolean, jobs: boolean, accessLog = false): Promise<number | undefined> {
  const serveOptions = dev ? devDefaults(options) : options;
  // Read by `jobs.install(app)` in every process that serves the app (cluster workers inherit it).
  if (jobs) process.env.VELOX_JOBS_WORKER = "1";
  if (cluster.isPrimary && (serveOptions.workers ?? 1) !== 0) {
    // The primary only supervises: workers import the app, so its pools and lifespan live there.
    const file = resolve(process.cwd(), splitModuleSpec(module).file);
    if (!existsSync(file)) throw new ServeError("VX_APP_NOT_FOUND", `no such module: ${file}`);
    await startPrimary(resolveServeOptions(serveOptions, consoleLogger()));
    return undefined;
  }
  const app = await importApp(splitModuleSpec(module).file, () => loadApp(module, process.cwd()));
  if (dev || accessLog) await addAccessLog(app);
  await serve(app, serveOptions);
  return undefined;
}

/**
 * The `velox` command. Resolves with an exit code when the command is done (help, errors, the
 * end of `velox dev`), or `undefined` while a server keeps the process running.
 *
 * @example
 * ```ts
 * const code = await main(["run", "src/main.ts", "--workers", "2"]);
 * if (code !== undefined) process.exitCode = code;
 * ```
 */
export async function main(argv: readonly string[]): Promise<number | undefined> {
  let command;
  try {
    command = parseCommand(argv, process.env);
  } catch (err) {
    process.stderr.write(`velox: ${(err as Error).message}\n\n${HELP}\n`);
    return EXIT.usage;
  }
  switch (command.command) {
    case "help":
      process.stdout.write(`${HELP}\n`);
      return 0;
    case "version":
      process.stdout.write(`${version()}\n`);
      return 0;
    case "openapi": {
      const { file, exportName } = splitModuleSpec(command.module);
      try {
        await importApp(file, () => writeOpenAPI(exportName ? `${file}#${exportName}` : file, command.out));
        return 0;
      } catch (err) {
        report(err);
        return EXIT.load;
      }
    }
    case "worker":
      try {
        const { runWorkerCommand } = await import("../../jobs/cli.ts");
        const worker = command.worker;
        return await importApp(splitModuleSpec(command.module).file, () => runWorkerCommand(command.module, worker));
      } catch (err) {
        report(err);
        return EXIT.load;
      }
    case "jobs":
      try {
        const { jobsAdminCommand } = await import("../../jobs/cli.ts");
        const filter = { ...(command.name ? { name: command.name } : {}), ...(command.limit !== undefined ? { limit: command.limit } : {}) };
        const { action, module, ids } = command;
        return await importApp(splitModuleSpec(module).file, () => jobsAdminCommand(action, module, ids, filter, (line) => process.stdout.write(`${line}\n`)));
      } catch (err) {
        report(err);
        return EXIT.load;
      }
    case "dev":
      return runDev({ bin: BIN, module: command.module, host: command.host, port: command.port });
    case "run":
      try {
        return await run(command.module, command.options, command.dev, command.jobs, command.accessLog === true);
      } catch (err) {
        report(err);
        return err instanceof ServeError && err.code === "VX_WORKER_BOOT_FAILED" ? EXIT.boot : EXIT.load;
      }
  }
}
