/**
 * `velox/logging`: pino for Velox apps — a logger with redaction and the request's ids on every
 * line, and an access log line per request. Needs the optional peer dependency `pino`.
 *
 * @module
 */
export { createLogger, type LoggerOptions, type VeloxLogger } from "./create-logger.ts";
export { accessLog, accessRecord, hasAccessLog, ACCESS_MESSAGE, type AccessLogOptions, type AccessRecord } from "./access-log.ts";
export { createRedactor, CENSOR, DEFAULT_SENSITIVE } from "./redact.ts";
