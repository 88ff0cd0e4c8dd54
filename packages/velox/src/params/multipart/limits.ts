import { tmpdir } from "node:os";
import { VeloxError } from "../../errors.ts";

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * The caps on one `multipart/form-data` body. Every cap answers 413 (with a `detail` naming it)
 * as soon as it is passed, after reading at most the cap plus one chunk; nothing is truncated.
 */
export interface MultipartLimits {
  /** Most file parts (parts with a `filename`). Default 10. */
  maxFiles: number;
  /** Most text fields (parts without a `filename`). Default 1000. */
  maxFields: number;
  /** Largest text field in bytes. Default 1 MiB. */
  maxFieldSize: number;
  /** All text fields together in bytes (they are held in memory). Default twice `maxFieldSize`. */
  maxFieldsSize: number;
  /** Largest file in bytes. Default 10 MiB. */
  maxFileSize: number;
  /** Largest header block of one part in bytes. Default 8 KiB. */
  maxPartHeaderSize: number;
  /** The whole body in bytes, framing included; a larger Content-Length is refused before reading. Default 128 MiB. */
  maxBodySize: number;
  /** A file stays in memory up to this many bytes, then moves to a temp file. Default 1 MiB. */
  spoolThreshold: number;
  /** Where temp files go (default: the OS temp directory). Names are random; a client filename is never used. */
  tempDir: string;
}

/** Per-route overrides of {@link MultipartLimits}. */
export type MultipartOptions = Partial<MultipartLimits>;

/**
 * The secure defaults. `maxFieldsSize` follows `maxFieldSize` unless set.
 *
 * @example
 * ```ts
 * app.post("/scans", { form: { scan: file() }, multipart: { maxFileSize: 5 * defaultMultipartLimits.maxFileSize } }, handler);
 * ```
 */
export const defaultMultipartLimits: Readonly<MultipartLimits> = Object.freeze({
  maxFiles: 10,
  maxFields: 1000,
  maxFieldSize: 1 * MiB,
  maxFieldsSize: 2 * MiB,
  maxFileSize: 10 * MiB,
  maxPartHeaderSize: 8 * KiB,
  maxBodySize: 128 * MiB,
  spoolThreshold: 1 * MiB,
  tempDir: tmpdir(),
});

const NUMERIC = ["maxFiles", "maxFields", "maxFieldSize", "maxFieldsSize", "maxFileSize", "maxPartHeaderSize", "maxBodySize", "spoolThreshold"] as const;

/**
 * Merges per-route options over the defaults, once at registration; a bad value is a
 * `VeloxError` then, not a surprise per request.
 *
 * @example
 * ```ts
 * const limits = resolveMultipartLimits({ maxFileSize: 2 * 1024 * 1024, maxFiles: 1 });
 * ```
 */
export function resolveMultipartLimits(options: MultipartOptions = {}, where = "multipart"): MultipartLimits {
  for (const key of Object.keys(options)) {
    if (!(key in defaultMultipartLimits)) throw new VeloxError("VX_UNKNOWN_OPTION", `${where}: unknown multipart option "${key}"`);
  }
  for (const key of NUMERIC) {
    const value = options[key];
    if (value !== undefined && (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value))) {
      throw new VeloxError("VX_INVALID_OPTION", `${where}: multipart option "${key}" must be a finite number ≥ 0`);
    }
  }
  if (options.tempDir !== undefined && (typeof options.tempDir !== "string" || options.tempDir === "")) {
    throw new VeloxError("VX_INVALID_OPTION", `${where}: multipart option "tempDir" must be a directory path`);
  }
  const fieldSize = options.maxFieldSize ?? defaultMultipartLimits.maxFieldSize;
  return {
    ...defaultMultipartLimits,
    maxFieldsSize: options.maxFieldsSize ?? Math.max(defaultMultipartLimits.maxFieldsSize, 2 * fieldSize),
    ...stripUndefined(options),
  };
}

function stripUndefined(options: MultipartOptions): MultipartOptions {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (v !== undefined) out[k] = v;
  return out as MultipartOptions;
}
