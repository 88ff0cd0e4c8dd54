/**
 * Stable error codes for framework misuse. They are raised at registration (or at the latest when
 * the app compiles its routes on first start), never per request, so a broken app fails fast.
 */
export type VeloxErrorCode =
  | "VX_DUPLICATE_ROUTE"
  | "VX_INVALID_PATH"
  | "VX_UNKNOWN_PATH_PARAM"
  | "VX_MISSING_PATH_PARAM"
  | "VX_BODY_NOT_ALLOWED"
  | "VX_BODY_CONFLICT"
  | "VX_NOT_A_SCHEMA"
  | "VX_MISSING_PEER"
  | "VX_UNKNOWN_OPTION"
  | "VX_DEP_CYCLE"
  | "VX_DEP_NAME_RESERVED"
  | "VX_DEP_NOT_A_DEPENDENCY"
  | "VX_DEP_SCOPE"
  | "VX_RESPONSE_SCHEMA"
  | "VX_APP_STARTED"
  | "VX_DUPLICATE_OPERATION_ID"
  | "VX_INVALID_OPTION"
  | "VX_URL_PARAMS"
  | "VX_UNKNOWN_ROUTE_NAME"
  | "VX_DUPLICATE_ROUTE_NAME"
  | "VX_INVALID_MOUNT"
  | "VX_HEADERS_RELEASED";

/**
 * An error in how Velox is used (not in a request). `code` is stable across versions.
 *
 * @example
 * ```ts
 * try { app.get("/a", {}, h); app.get("/a", {}, h); }
 * catch (e) { if (e instanceof VeloxError) console.log(e.code); } // "VX_DUPLICATE_ROUTE"
 * ```
 */
export class VeloxError extends Error {
  readonly code: VeloxErrorCode;
  constructor(code: VeloxErrorCode, message: string) {
    super(`[${code}] ${message}`);
    this.name = "VeloxError";
    this.code = code;
  }
}

/** Raised per request for protocol-level problems Velox answers itself (413, 415, 400...). */
export class ProtocolError extends Error {
  readonly status: number;
  readonly headers: Record<string, string> | undefined;
  constructor(status: number, message: string, headers?: Record<string, string>) {
    super(message);
    this.name = "ProtocolError";
    this.status = status;
    this.headers = headers;
  }
}
