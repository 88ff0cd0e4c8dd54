import type { IncomingMessage } from "node:http";
import type { ParamLocation } from "./locations.ts";

/** Raw values of one source, keyed by wire name. */
export type RawSource = Record<string, string | string[] | undefined>;

/**
 * The raw inputs of one request, read once and shared by the route and all its dependencies.
 * The request context implements it, so no second object is made per request.
 *
 * @example
 * ```ts
 * const query: RawSource = rawSource(ctx, "query");
 * ```
 */
export interface RawInputs {
  readonly req: IncomingMessage;
  /** @internal Path parameters as matched. */ _rawPath: RawSource;
  /** @internal Query parameters as parsed. */ _rawQuery: RawSource;
  /** @internal Fields of a form body (URL-encoded or multipart), once read. */ _rawForm: RawSource | null;
  /** @internal The decoded body value (JSON...), `undefined` when absent. */ _rawBody: unknown;
  /** @internal Cookies, parsed on first use. */ _rawCookies(): RawSource;
}

const EMPTY: RawSource = Object.freeze(Object.create(null)) as RawSource;

/**
 * The raw values of one location.
 *
 * @example
 * ```ts
 * rawSource(ctx, "header")["user-agent"];
 * ```
 */
export function rawSource(inputs: RawInputs, location: ParamLocation): RawSource {
  switch (location) {
    case "path": return inputs._rawPath;
    case "query": return inputs._rawQuery;
    case "header": return inputs.req.headers as RawSource;
    case "cookie": return inputs._rawCookies();
    case "form": return inputs._rawForm ?? EMPTY;
  }
}
