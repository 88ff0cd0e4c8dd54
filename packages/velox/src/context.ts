import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { BackgroundTasks } from "./background.ts";
import type { ExitStack } from "./di/exit-stack.ts";
import { HeaderWriter } from "./responses/headers.ts";
import type { VeloxResponse } from "./responses/response.ts";

/**
 * What a handler may set on the response it returns a plain value for: status, headers
 * (`setHeader`) and cookies (`setCookie`, `deleteCookie`).
 *
 * @example
 * ```ts
 * app.post("/items", { body: ItemIn, status: 201 }, ({ body, response }) => {
 *   response.setHeader("location", "/items/1").setCookie("seen", "1");
 *   return create(body);
 * });
 * ```
 */
export class ResponseState extends HeaderWriter {
  /** Overrides the route's status for this response. */
  status: number | undefined = undefined;
}

/** The part of the app a request can see; `Velox` implements it. */
export interface AppHandle {
  readonly state: Record<string, any>;
}

const REQUEST_ID = /^[\w.:@-]{1,128}$/;

/**
 * Everything a handler, dependency or middleware gets for one request. Handlers see it typed from
 * their route's schemas: `path`, `query`, `headers`, `cookies`, `body`, `form` and each dependency
 * by name.
 *
 * @example
 * ```ts
 * app.get("/whoami", {}, (ctx) => ({ ip: ctx.req.socket.remoteAddress, id: ctx.requestId }));
 * ```
 */
export class RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly app: AppHandle;
  /** Validated path parameters. */
  path: unknown = undefined;
  /** Validated query parameters. */
  query: unknown = undefined;
  /** Validated header parameters (not the raw headers: see `req.headers`). */
  headers: unknown = undefined;
  /** Validated cookies. */
  cookies: unknown = undefined;
  /** The validated body. */
  body: unknown = undefined;
  /** Validated form fields. */
  form: unknown = undefined;
  /** The matched route template (`/items/{id}`), or null before routing / when nothing matched. */
  route: string | null = null;
  /** The final response; middleware may read or replace it after `await next()`. */
  result: VeloxResponse | null = null;

  /** @internal */ _response: ResponseState | null = null;
  /** @internal */ _background: BackgroundTasks | null = null;
  /** @internal */ _requestId: string | null;
  /** @internal */ _state: Record<string, unknown> | null = null;
  /** @internal */ _exit: ExitStack | null = null;
  /** @internal Set when middleware runs: responses are stored in `result` instead of written. */ _deferred = false;

  constructor(req: IncomingMessage, res: ServerResponse, app: AppHandle, requestIdHeader: string | null) {
    this.req = req;
    this.res = res;
    this.app = app;
    const incoming = requestIdHeader ? req.headers[requestIdHeader] : undefined;
    this._requestId = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : null;
  }

  /** The request id: the client's `X-Request-ID` when well-formed, else a fresh UUID. */
  get requestId(): string {
    return (this._requestId ??= randomUUID());
  }

  /** Status, headers and cookies for the response of a handler that returns a plain value. */
  get response(): ResponseState {
    return (this._response ??= new ResponseState());
  }

  /** Tasks to run after the response is sent. */
  get background(): BackgroundTasks {
    return (this._background ??= new BackgroundTasks());
  }

  /** Per-request state for middleware and dependencies (`request.state` in Starlette). */
  get state(): Record<string, unknown> {
    return (this._state ??= {});
  }

  get method(): string {
    return this.req.method ?? "GET";
  }

  get url(): string {
    return this.req.url ?? "/";
  }
}
