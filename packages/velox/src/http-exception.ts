import { statusText } from "./status.ts";

/**
 * Raise from a handler or dependency to answer with an HTTP error: `{"detail": detail}`.
 *
 * @example
 * ```ts
 * app.get("/items/{id}", { path: { id: z.int() } }, ({ path }) => {
 *   const item = items.get(path.id);
 *   if (!item) throw new HTTPException(404, "Item not found");
 *   return item;
 * });
 * ```
 */
export class HTTPException extends Error {
  readonly status: number;
  readonly detail: unknown;
  readonly headers: Record<string, string> | undefined;
  constructor(status: number, detail?: unknown, headers?: Record<string, string>) {
    const d = detail === undefined ? statusText(status) : detail;
    super(typeof d === "string" ? d : statusText(status));
    this.name = "HTTPException";
    this.status = status;
    this.detail = d;
    this.headers = headers;
  }
}

/** One validation problem in FastAPI's (Pydantic v2) shape. */
export interface ErrorDetail {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

/**
 * The request did not validate; answered as 422 `{"detail": errors}` unless a handler is registered
 * for this class.
 *
 * @example
 * ```ts
 * app.exceptionHandler(RequestValidationError, (err) => new JSONResponse({ problems: err.errors }, { status: 400 }));
 * ```
 */
export class RequestValidationError extends Error {
  readonly errors: ErrorDetail[];
  readonly body: unknown;
  constructor(errors: ErrorDetail[], body?: unknown) {
    super(`${errors.length} validation error${errors.length === 1 ? "" : "s"}`);
    this.name = "RequestValidationError";
    this.errors = errors;
    this.body = body;
  }
}

/** A handler returned a value that does not match its response schema: a server bug, answered as 500. */
export class ResponseValidationError extends Error {
  readonly errors: ErrorDetail[];
  constructor(errors: ErrorDetail[]) {
    super(`Response validation failed: ${errors.map((e) => `${e.loc.join(".")}: ${e.msg}`).join("; ")}`);
    this.name = "ResponseValidationError";
    this.errors = errors;
  }
}
