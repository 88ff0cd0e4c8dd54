import { openSync } from "node:fs";
import { pino, type DestinationStream, type Level, type LevelWithSilent, type Logger as PinoLogger, type LoggerOptions as PinoOptions } from "pino";
import { requestTrace } from "../batteries/request-trace.ts";
import { VeloxError } from "../errors.ts";
import { currentRequest } from "../request-scope.ts";
import { BatchedWriter } from "./batched-writer.ts";
import { createRedactor } from "./redact.ts";

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Lowest level written (default `$LOG_LEVEL` or `info`). */
  level?: LevelWithSilent;
  /**
   * Where lines go: a file descriptor (default 2, stderr, like the rest of Velox's logs), a file
   * path, or a stream (tests).
   */
  destination?: number | string | DestinationStream;
  /**
   * Write synchronously (default false: lines are gathered and written asynchronously once per
   * event-loop turn, flushed at exit; see `BatchedWriter`; a stream given as `destination` is
   * written as it is).
   */
  sync?: boolean;
  /** More keys (exact names or patterns) whose values are replaced by `[Redacted]`. */
  redact?: readonly (string | RegExp)[];
  /** Drop the default sensitive keys (authorization, cookie, set-cookie, password-, secret-, token-like names). */
  redactDefaults?: boolean;
  /** Fields on every line (default `{ pid }`). */
  base?: Record<string, unknown>;
  /** More pino options (serializers, hooks...); Velox's formatters and mixin are kept. */
  pino?: Omit<PinoOptions, "level" | "formatters" | "mixin" | "base">;
}

/** Where a logger made by {@link createLogger} writes, for lines built without pino's per-call work. @internal */
export interface LineWriter {
  readonly logger: PinoLogger;
  readonly stream: DestinationStream;
  /** `,"pid":4242` — the base fields as JSON, after `time`. */
  readonly base: string;
}

const writers = new WeakMap<object, LineWriter>();

/**
 * The destination of a logger {@link createLogger} made (not of its children, whose bindings a
 * line would miss), or undefined. The access log writes its pre-serialized lines there.
 * @internal
 */
export function lineWriterOf(logger: object): LineWriter | undefined {
  return writers.get(logger);
}

/** A pino logger as Velox configures it; a `Logger` for `new Velox({ logger })`. */
export type VeloxLogger = PinoLogger;

const LEVELS = new Set(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

function levelOf(options: LoggerOptions): LevelWithSilent {
  const level = options.level ?? (process.env.LOG_LEVEL as LevelWithSilent | undefined) ?? "info";
  if (!LEVELS.has(level)) throw new VeloxError("VX_INVALID_OPTION", `createLogger(): level must be one of ${[...LEVELS].join(", ")}, got ${JSON.stringify(level)}`);
  return level;
}

function destinationOf(options: LoggerOptions): DestinationStream {
  const dest = options.destination ?? 2;
  if (typeof dest === "object") return dest;
  if (options.sync === true) return pino.destination({ dest, sync: true });
  return new BatchedWriter(typeof dest === "number" ? dest : openSync(dest, "a"));
}

/**
 * Request id and trace ids of the request being served, on every line logged inside it (through
 * any logger made here, `ctx.log` or not). Read from the one request scope.
 */
function requestFields(_record: object, _level: number, logger: PinoLogger): Record<string, string> {
  const ctx = currentRequest();
  if (ctx === undefined) return {};
  const trace = requestTrace(ctx);
  // `ctx.log` is a child bound to the request id already: one key per line, not two.
  const bound = (logger as unknown as Record<symbol, string | undefined>)[pino.symbols.chindingsSym]?.includes('"requestId":') === true;
  const fields: Record<string, string> = bound ? {} : { requestId: ctx.requestId };
  if (trace !== undefined) {
    fields.traceId = trace.traceId;
    fields.spanId = trace.spanId;
  }
  return fields;
}

/**
 * A pino logger for a Velox app: JSON lines with `level` as a name and `time` in epoch
 * milliseconds (the shape of Velox's default logger, which `velox dev` pretty-prints), written
 * asynchronously to stderr, secrets redacted, and the request id and trace id of the current
 * request on every line when the app enables `requestScope`.
 *
 * @example
 * ```ts
 * import { createLogger } from "velox/logging";
 *
 * const logger = createLogger({ level: "info", redact: ["x-internal-token"] });
 * const app = new Velox({ logger, requestScope: true });
 * logger.info({ user: "ada", password: "hunter2" }, "signed in"); // password: "[Redacted]"
 * ```
 */
export function createLogger(options: LoggerOptions = {}): VeloxLogger {
  const redact = createRedactor(options.redact ?? [], options.redactDefaults ?? true);
  const base = options.base ?? { pid: process.pid };
  const stream = destinationOf(options);
  const logger = pino(
    {
      ...options.pino,
      level: levelOf(options),
      base,
      timestamp: pino.stdTimeFunctions.epochTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (record) => redact(record),
      },
      mixin: requestFields,
    },
    stream,
  );
  const baseJson = JSON.stringify(redact(base));
  writers.set(logger, { logger, stream, base: baseJson === "{}" ? "" : `,${baseJson.slice(1, -1)}` });
  return logger;
}

/** Level names, lowest first. @internal */
export const LEVEL_NAMES: readonly Level[] = ["trace", "debug", "info", "warn", "error", "fatal"];
