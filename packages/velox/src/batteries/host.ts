/**
 * The part of the core v2 app contract the observability batteries use: request hooks, lifecycle
 * hooks and route registration. Kept structural so a battery compiles against any app that has
 * these methods (and so the batteries import no core internals).
 */
import type { Logger } from "../logger.ts";
import type { RequestContext } from "../context.ts";
import type { VeloxResponse } from "../responses/response.ts";

type Maybe<T> = T | Promise<T>;

/** What `onResponse` hooks learn about a finished request. */
export interface ResponseInfo {
  status: number;
  /** The route template, or null when nothing matched. */
  route: string | null;
  method: string;
  durationMs: number;
  /** The client went away before the response finished. */
  aborted: boolean;
  error?: unknown;
}

/** Request and lifecycle hooks by name, as `app.addHook` takes them. */
export interface HookFunctions {
  onRequest: (ctx: RequestContext) => Maybe<void | VeloxResponse>;
  preHandler: (ctx: RequestContext) => Maybe<void | VeloxResponse>;
  onSend: (ctx: RequestContext, response: VeloxResponse) => Maybe<void | VeloxResponse>;
  onResponse: (ctx: RequestContext, info: ResponseInfo) => void;
  onError: (ctx: RequestContext, error: unknown, status: number) => void;
  onReady: (app: any) => Maybe<void>;
  preClose: (app: any) => Maybe<void>;
  onClose: (app: any) => Maybe<void>;
}

/** An app a battery can attach to. `Velox` is one. */
export interface HookHost {
  addHook<K extends keyof HookFunctions>(name: K, fn: HookFunctions[K]): unknown;
  readonly logger: Logger;
}
