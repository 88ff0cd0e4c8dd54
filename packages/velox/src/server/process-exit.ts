import { constants } from "node:os";
import type { Logger } from "../logger.ts";

/** What {@link installExitHandlers} drives. */
export interface ExitTarget {
  /** Graceful shutdown; resolves true when it finished cleanly. */
  shutdown(reason: string): Promise<boolean>;
  logger: Logger;
  /** The process exits at this deadline whatever the shutdown is doing. */
  shutdownTimeoutMs: number;
  /** Also treat uncaught exceptions and unhandled rejections as a reason to drain and exit 1. */
  uncaught: boolean;
}

/** Starts a graceful exit programmatically (IPC, tests); the same path signals take. */
export type BeginExit = (reason: string, exitCode: number) => void;

/**
 * Makes SIGTERM and SIGINT drain the server and exit: 0 after a clean shutdown, 1 when the
 * deadline forced it. A second signal exits at once (128 + signal number). Only signals count
 * towards that: a shutdown begun otherwise (the cluster primary's message, `begin()`) and then
 * joined by a signal is still the first signal — that is what a signal to the whole process group
 * (Ctrl-C in a terminal, systemd's `KillMode=control-group`) does to a worker whose primary is
 * signalled at the same moment. An uncaught exception or unhandled rejection is logged, then
 * drains and exits 1, so a supervisor restarts the process.
 *
 * @example
 * ```ts
 * const begin = installExitHandlers({ shutdown: (r) => running.shutdown(r), logger, shutdownTimeoutMs: 25_000, uncaught: true });
 * process.on("message", (m) => m === "stop" && begin("ipc", 0));
 * ```
 */
export function installExitHandlers(target: ExitTarget): BeginExit {
  const { logger } = target;
  let exiting = false;

  const begin: BeginExit = (reason, exitCode) => {
    if (exiting) return;
    exiting = true;
    const deadline = setTimeout(() => {
      logger.error({ pid: process.pid, timeoutMs: target.shutdownTimeoutMs }, "shutdown deadline passed, exiting now");
      process.exit(1);
    }, target.shutdownTimeoutMs);
    deadline.unref();
    target.shutdown(reason).then(
      (clean) => process.exit(clean ? exitCode : Math.max(exitCode, 1)),
      (err: unknown) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };

  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) {
      logger.warn({ signal, pid: process.pid }, "second signal, exiting now");
      process.exit(128 + (constants.signals[signal] ?? 0));
    }
    signalled = true;
    if (exiting) logger.info({ signal, pid: process.pid }, "signal joins the shutdown already under way");
    begin(signal, 0);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);

  if (target.uncaught) {
    const onFatal = (err: unknown, kind: string): void => {
      logger.error({ err, pid: process.pid }, kind);
      begin(kind, 1);
    };
    process.on("uncaughtException", (err) => onFatal(err, "uncaught exception, draining and exiting"));
    process.on("unhandledRejection", (reason) => onFatal(reason, "unhandled rejection, draining and exiting"));
  }
  return begin;
}
