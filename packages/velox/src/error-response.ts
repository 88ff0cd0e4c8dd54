import type { RequestContext } from "./context.ts";
import { ProtocolError } from "./errors.ts";
import { HTTPException, RequestValidationError } from "./http-exception.ts";
import type { Logger } from "./logger.ts";
import { VeloxResponse } from "./responses/response.ts";
import type { ExceptionHandler, ExceptionKey } from "./router.ts";
import { statusText } from "./status.ts";

/** `fastapi` (default): `{"detail": ...}`; `problem`: RFC 9457 `application/problem+json`. */
export type ErrorFormat = "fastapi" | "problem";

/** The status an error answers with when no handler changes it. */
export function statusOf(error: unknown): number {
  if (error instanceof HTTPException || error instanceof ProtocolError) return error.status;
  if (error instanceof RequestValidationError) return 422;
  return 500;
}

/** The registered handler for `error`: innermost scope first, by class along the prototype chain, then by status. */
export function findExceptionHandler(scopes: readonly Map<ExceptionKey, ExceptionHandler>[], error: unknown): ExceptionHandler | null {
  const status = statusOf(error);
  for (const scope of scopes) {
    if (scope.size === 0) continue;
    if (typeof error === "object" && error !== null) {
      for (let proto = Object.getPrototypeOf(error); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
        const handler = scope.get(proto.constructor);
        if (handler) return handler;
      }
    }
    const handler = scope.get(status);
    if (handler) return handler;
  }
  return null;
}

function jsonResponse(status: number, payload: unknown, headers: Record<string, string> | undefined, format: ErrorFormat): VeloxResponse {
  const response = new VeloxResponse(JSON.stringify(payload), { status, headers });
  response.headers["content-type"] = format === "problem" ? "application/problem+json" : "application/json";
  return response;
}

function problem(status: number, detail: unknown, ctx: RequestContext, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const body: Record<string, unknown> = { type: "about:blank", title: statusText(status), status };
  if (detail !== undefined) body.detail = detail;
  body.instance = ctx.req.url?.split("?")[0];
  return { ...body, ...extra };
}

/**
 * Velox's built-in answers: 422 with the validation errors, an HTTPException's status and detail,
 * the protocol errors (413, 415, 400...), and for anything else a 500 that reveals nothing but the
 * request id (the error itself is logged).
 */
export function defaultErrorResponse(error: unknown, ctx: RequestContext, format: ErrorFormat, logger: Logger): VeloxResponse {
  if (error instanceof RequestValidationError) {
    if (format === "problem") {
      return jsonResponse(422, problem(422, "Request validation failed", ctx, { errors: error.errors }), undefined, format);
    }
    return jsonResponse(422, { detail: error.errors }, undefined, format);
  }
  if (error instanceof HTTPException) {
    const payload = format === "problem" ? problem(error.status, error.detail, ctx) : { detail: error.detail };
    return jsonResponse(error.status, payload, error.headers, format);
  }
  if (error instanceof ProtocolError) {
    const payload = format === "problem" ? problem(error.status, error.message, ctx) : { detail: error.message };
    return jsonResponse(error.status, payload, error.headers, format);
  }
  const requestId = ctx.requestId;
  logger.error({ err: error, requestId, method: ctx.req.method, route: ctx.route ?? undefined }, "unhandled error");
  const payload = format === "problem"
    ? problem(500, "Internal Server Error", ctx, { request_id: requestId })
    : { detail: "Internal Server Error" };
  return jsonResponse(500, payload, { "x-request-id": requestId }, format);
}

/** Runs the matching exception handler, falling back to the default answer if there is none or it fails. */
export async function errorResponse(
  scopes: readonly Map<ExceptionKey, ExceptionHandler>[],
  error: unknown,
  ctx: RequestContext,
  format: ErrorFormat,
  logger: Logger,
): Promise<VeloxResponse> {
  const handler = findExceptionHandler(scopes, error);
  if (handler) {
    try {
      const response = await handler(error, ctx);
      if (response instanceof VeloxResponse) return response;
      logger.error({ requestId: ctx.requestId }, "exception handler did not return a VeloxResponse");
    } catch (handlerError) {
      return defaultErrorResponse(handlerError, ctx, format, logger);
    }
  }
  return defaultErrorResponse(error, ctx, format, logger);
}
