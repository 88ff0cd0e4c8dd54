import type { RequestContext } from "../context.ts";
import { ValidatedInputs } from "../validated-inputs.ts";
import type { SecurityScopes } from "./dependency.ts";

/** The object a dependency function receives: the request's context with its own params. */
export class DependencyCallContext extends ValidatedInputs {
  readonly req: RequestContext["req"];
  readonly res: RequestContext["res"];
  readonly app: RequestContext["app"];
  readonly route: string | null;
  securityScopes: SecurityScopes;
  [name: string]: unknown;
  readonly #ctx: RequestContext;

  constructor(ctx: RequestContext, securityScopes: SecurityScopes) {
    super();
    this.#ctx = ctx;
    this.req = ctx.req;
    this.res = ctx.res;
    this.app = ctx.app;
    this.route = ctx.route;
    this.securityScopes = securityScopes;
  }

  get requestId(): string {
    return this.#ctx.requestId;
  }

  get response(): RequestContext["response"] {
    return this.#ctx.response;
  }

  get background(): RequestContext["background"] {
    return this.#ctx.background;
  }

  get state(): RequestContext["state"] {
    return this.#ctx.state;
  }

  get method(): string {
    return this.#ctx.method;
  }

  get url(): string {
    return this.#ctx.url;
  }

  get log(): RequestContext["log"] {
    return this.#ctx.log;
  }

  // Typed as part of a dependency's context (DependencyContext) but was missing at runtime.
  get signal(): RequestContext["signal"] {
    return this.#ctx.signal;
  }
}
