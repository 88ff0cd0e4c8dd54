import { VeloxResponse, type ResponseInit } from "./response.ts";

function withType(init: ResponseInit | undefined, type: string): ResponseInit {
  const headers = { ...(init?.headers ?? {}) };
  if (!Object.keys(headers).some((k) => k.toLowerCase() === "content-type")) headers["content-type"] = type;
  return { ...init, headers };
}

/**
 * A JSON response built with `JSON.stringify` (no response model is applied).
 *
 * @example
 * ```ts
 * app.get("/old", {}, () => new JSONResponse({ detail: "Gone" }, { status: 410 }));
 * ```
 */
export class JSONResponse extends VeloxResponse {
  constructor(content: unknown, init?: ResponseInit) {
    super(JSON.stringify(content) ?? "null", withType(init, "application/json"));
  }
}

/**
 * A `text/plain; charset=utf-8` response.
 *
 * @example
 * ```ts
 * app.get("/robots.txt", {}, () => new PlainTextResponse("User-agent: *\nDisallow:"));
 * ```
 */
export class PlainTextResponse extends VeloxResponse {
  constructor(text: string, init?: ResponseInit) {
    super(text, withType(init, "text/plain; charset=utf-8"));
  }
}

/**
 * A `text/html; charset=utf-8` response. The HTML is sent as given: escape user data yourself.
 *
 * @example
 * ```ts
 * app.get("/", {}, () => new HTMLResponse("<h1>Hello</h1>"));
 * ```
 */
export class HTMLResponse extends VeloxResponse {
  constructor(html: string, init?: ResponseInit) {
    super(html, withType(init, "text/html; charset=utf-8"));
  }
}

/**
 * A redirect (307 by default, like FastAPI). The location is checked for CR/LF.
 *
 * @example
 * ```ts
 * app.get("/old", {}, () => new RedirectResponse("/new", 308));
 * ```
 */
export class RedirectResponse extends VeloxResponse {
  constructor(location: string, status = 307, init?: Omit<ResponseInit, "status">) {
    super(null, { ...init, status });
    this.setHeader("location", encodeLocation(location));
  }
}

/** Percent-encodes what may not appear in a Location header, keeping escapes already present. */
function encodeLocation(location: string): string {
  return location.replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/gu, (ch) => encodeURIComponent(ch));
}

/**
 * A response without a body: 204 No Content by default, or 304, 202...
 *
 * @example
 * ```ts
 * app.delete("/items/{id}", { path: { id: z.int() } }, ({ path }) => { items.delete(path.id); return new EmptyResponse(); });
 * ```
 */
export class EmptyResponse extends VeloxResponse {
  constructor(status = 204, init?: Omit<ResponseInit, "status">) {
    super(null, { ...init, status });
  }
}
