/**
 * The logging interface Velox writes to. `velox/logging` provides a pino logger; any object with
 * these methods (pino, console-like adapters) works.
 */
export interface Logger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
  /** A logger that adds `bindings` to every line (pino's `child`); `ctx.log` uses it when present. */
  child?(bindings: Record<string, unknown>): Logger;
}

function serializeError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return { type: value.name, message: value.message, stack: value.stack };
}

function line(level: string, obj: object, msg?: string): string {
  const fields: Record<string, unknown> = { level, time: Date.now(), msg };
  for (const [k, v] of Object.entries(obj)) fields[k] = serializeError(v);
  return JSON.stringify(fields);
}

/**
 * The default logger: one JSON line per event on stderr, errors with their stack (logs are for
 * operators; responses never carry stacks).
 *
 * @example
 * ```ts
 * new Velox({ logger: consoleLogger() });
 * ```
 */
export function consoleLogger(): Logger {
  return {
    error: (obj, msg) => process.stderr.write(line("error", obj, msg) + "\n"),
    warn: (obj, msg) => process.stderr.write(line("warn", obj, msg) + "\n"),
    info: (obj, msg) => process.stderr.write(line("info", obj, msg) + "\n"),
  };
}

/** A logger that drops everything (`logger: false`). */
export const silentLogger: Logger = { error() {}, warn() {}, info() {} };

/**
 * The logger for one request or connection: a child carrying its id when the logger has
 * `child()` (pino), else the logger itself.
 *
 * @example
 * ```ts
 * const log = requestLogger(app.logger, "req-1");
 * log.info("handled"); // {"requestId":"req-1","msg":"handled"}
 * ```
 */
export function requestLogger(logger: Logger, requestId: string): Logger {
  return typeof logger.child === "function" ? logger.child({ requestId }) : logger;
}
