/**
 * Stable codes of {@link ServeError}.
 *
 * @example
 * ```ts
 * const retryable = (code: ServeErrorCode) => code === "VX_ADDRESS_IN_USE";
 * ```
 */
export type ServeErrorCode =
  | "VX_APP_NOT_FOUND"
  | "VX_NO_TYPESCRIPT_LOADER"
  | "VX_BAD_ARGUMENT"
  | "VX_ADDRESS_IN_USE"
  | "VX_WORKER_BOOT_FAILED"
  | "VX_CRASH_LOOP";

/**
 * A failure to start or keep running the server (bad CLI argument, a module without an app,
 * a worker that cannot boot, a crash loop). `code` is stable across versions.
 *
 * @example
 * ```ts
 * try { await serve(app, { workers: 2 }); }
 * catch (e) { if (e instanceof ServeError && e.code === "VX_WORKER_BOOT_FAILED") process.exit(3); }
 * ```
 */
export class ServeError extends Error {
  readonly code: ServeErrorCode;
  constructor(code: ServeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ServeError";
    this.code = code;
  }
}
