import type { IncomingMessage } from "node:http";
import type { Dependency } from "../di/dependency.ts";
import { defineScheme, type SchemeOptions, type SchemeResult } from "../security/scheme.ts";

/** Options of {@link WebSocketBearer}. */
export interface WebSocketBearerOptions extends SchemeOptions {
  /** Query parameter carrying the token (default `token`); `false` refuses tokens in URLs. */
  query?: string | false;
  /** Subprotocol name followed by the token in `Sec-WebSocket-Protocol` (default `bearer`); `false` turns it off. */
  protocol?: string | false;
}

function fromProtocols(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  const offered = header.split(",").map((p) => p.trim());
  const at = offered.indexOf(name);
  return at === -1 ? undefined : offered[at + 1] || undefined;
}

function fromQuery(req: IncomingMessage, name: string): string | undefined {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  if (q === -1) return undefined;
  const values = new URLSearchParams(url.slice(q + 1)).getAll(name);
  return values.length === 1 && values[0] !== "" ? values[0] : undefined;
}

/**
 * A bearer token for a WebSocket handshake, where browsers cannot set `Authorization`: read from
 * `Authorization: Bearer …` (non-browser clients), from the `Sec-WebSocket-Protocol` convention
 * (`new WebSocket(url, ["bearer", token])`; the server selects `bearer`, never echoing the
 * token), or from the `token` query parameter (which proxies may log — prefer the subprotocol).
 * Missing → 401 with `WWW-Authenticate: Bearer` over HTTP, before any upgrade. Documented as an
 * HTTP bearer scheme in AsyncAPI.
 *
 * @example
 * ```ts
 * const wsToken = WebSocketBearer();
 * const wsUser = depends({ deps: { token: wsToken } }, async ({ token }) => (await verify(token)) ?? raise401());
 * app.ws("/ws/{room}", { deps: { user: wsUser } }, handler);
 * ```
 */
export function WebSocketBearer<const O extends WebSocketBearerOptions = {}>(options?: O): Dependency<SchemeResult<O, string>> {
  const opts: WebSocketBearerOptions = options ?? {};
  const query = opts.query === undefined ? "token" : opts.query;
  const protocol = opts.protocol === undefined ? "bearer" : opts.protocol;
  return defineScheme<string>({
    kind: "WebSocketBearer",
    options: opts,
    scheme: { type: "http", scheme: "bearer" },
    challenge: "Bearer",
    extract: (req, missing) => {
      const auth = req.headers.authorization;
      if (auth !== undefined && /^bearer\s+\S/i.test(auth)) return auth.replace(/^bearer\s+/i, "").trim();
      const inProtocol = protocol === false ? undefined : fromProtocols(req.headers["sec-websocket-protocol"], protocol);
      if (inProtocol !== undefined) return inProtocol;
      const inQuery = query === false ? undefined : fromQuery(req, query);
      if (inQuery !== undefined) return inQuery;
      return missing();
    },
  }) as Dependency<SchemeResult<O, string>>;
}
