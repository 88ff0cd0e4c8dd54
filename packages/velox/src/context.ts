import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseCookies } from "cookie";
import { BackgroundTasks } from "./background.ts";
import type { ExitStack } from "./di/exit-stack.ts";
import type { RequestHooks } from "./hooks.ts";
import { requestLogger, type Logger } from "./logger.ts";
import type { RawInputs, RawSource } from "./params/raw-inputs.ts";
import type { RoutePlan } from "./route-plan.ts";
import type { Runtime } from "./pipeline/runtime.ts";
import { HeaderWriter } from "./responses/headers.ts";
import type { VeloxResponse } from "./responses/response.ts";
import { ValidatedInputs } from "./validated-inputs.ts";

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
  /** Aborted when the app begins to shut down (streams end on it). */
  readonly shutdownSignal?: AbortSignal;
}

const REQUEST_ID = /^[\w.:@-]{1,128}$/;
const NO_COOKIES: RawSource = Object.freeze(Object.create(null)) as RawSource;

/**
 * Everything a handler, dependency, hook or middleware gets for one request — and the request's
 * one state object inside the pipeline. Handlers see it typed from their route's schemas: `path`,
 * `query`, `headers`, `cookies`, `body`, `form` and each dependency by name.
 *
 * @example
 * ```ts
 * app.get("/whoami", {}, (ctx) => ({ ip: ctx.req.socket.remoteAddress, id: ctx.requestId }));
 * ```
 */
export class RequestContext extends ValidatedInputs implements RawInputs {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly app: AppHandle;
  /** The matched route template (`/items/{id}`), or null before routing / when nothing matched. */
  route: string | null = null;
  /** The final response; middleware may read or replace it after `await next()`. */
  result: VeloxResponse | null = null;

  /** @internal */ _response: ResponseState | null = null;
  /** @internal */ _background: BackgroundTasks | null = null;
  /** @internal */ _requestId: string | null = null;
  /** @internal */ _state: Record<string, unknown> | null = null;
  /** @internal */ _exit: ExitStack | null = null;
  /** @internal Set while middleware runs: responses are stored in `result` instead of written. */ _deferred = false;
  /** @internal */ _rt: Runtime;
  /** @internal The matched route's plan. */ _plan: RoutePlan | null = null;
  /** @internal */ _rawPath: RawSource = NO_COOKIES;
  /** @internal */ _rawQuery: RawSource = NO_COOKIES;
  /** @internal */ _rawForm: RawSource | null = null;
  /** @internal */ _rawBody: unknown = undefined;
  /** @internal */ _parsedCookies: RawSource | null = null;
  /** @internal `performance.now()` at arrival, when an onResponse hook needs the duration (else 0). */ _start = 0;
  /** @internal The error the response was made from, for onResponse hooks. */ _error: unknown = undefined;
  /** @internal Body bytes of the response, when the responder knows them (-1 otherwise; only kept while observed). */ _bytes = -1;
  /** @internal */ _log: Logger | null = null;
  /** @internal */ _signal: AbortSignal | null = null;
  /** @internal The onSend hooks that apply, or null (then plain values are written without a response object). */ _onSend: RequestHooks["onSend"][] | null = null;

  constructor(req: IncomingMessage, res: ServerResponse, app: AppHandle, rt: Runtime) {
    super();
    this.req = req;
    this.res = res;
    this.app = app;
    this._rt = rt;
  }

  /** The request id: the client's `X-Request-ID` when well-formed, else a fresh UUID (read on first use). */
  get requestId(): string {
    if (this._requestId === null) {
      const header = this._rt.requestIdHeader;
      const incoming = header !== null ? this.req.headers[header] : undefined;
      this._requestId = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    }
    return this._requestId;
  }

  /** Replaces the request id (the request-id middleware's own choice); later logs carry the new one. */
  set requestId(id: string) {
    this._requestId = id;
    this._log = null;
  }

  /** Status, headers and cookies for the response of a handler that returns a plain value. */
  get response(): ResponseState {
    return (this._response ??= new ResponseState());
  }

  /** Tasks to run after the response is sent. */
  get background(): BackgroundTasks {
    return (this._background ??= new BackgroundTasks());
  }

  /**
   * Aborted once the request is over: the client went away, or the response was sent. Pass it to
   * long waits (timers, queries, event subscriptions) so they stop with the request — a stream
   * generator (`sse()`, `jsonl()`) waiting on it finishes as soon as its client leaves.
   *
   * @example
   * ```ts
   * app.get("/ticks", { response: sse(Tick) }, async function* ({ signal }) {
   *   for (let n = 0; !signal.aborted; n++) {
   *     yield { n };
   *     await sleep(1000, undefined, { signal }).catch(() => undefined);
   *   }
   * });
   * ```
   */
  get signal(): AbortSignal {
    if (this._signal === null) {
      const controller = new AbortController();
      const res = this.res;
      if (res.destroyed || (res as { closed?: boolean }).closed) controller.abort();
      else res.once("close", () => controller.abort());
      this._signal = controller.signal;
    }
    return this._signal;
  }

  /** Per-request state for middleware, hooks and dependencies (`request.state` in Starlette). */
  get state(): Record<string, unknown> {
    return (this._state ??= {});
  }

  /** The app's logger, as a child carrying this request's id when the logger has `child()` (pino). */
  get log(): Logger {
    return (this._log ??= requestLogger(this._rt.logger, this.requestId));
  }

  get method(): string {
    return this.req.method ?? "GET";
  }

  get url(): string {
    return this.req.url ?? "/";
  }

  /** @internal */
  _rawCookies(): RawSource {
    if (this._parsedCookies === null) {
      const header = this.req.headers.cookie;
      this._parsedCookies = header ? (parseCookies(header) as RawSource) : NO_COOKIES;
    }
    return this._parsedCookies;
  }
}
