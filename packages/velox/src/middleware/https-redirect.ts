import { VeloxError } from "../errors.ts";
import { PlainTextResponse, RedirectResponse } from "../responses/simple.ts";
import { requestHost, requestProtocol, type TrustProxy } from "../server/trust-proxy.ts";
import { middlewarePlugin, type MiddlewarePlugin } from "./hook-types.ts";
import { hostOf, portOf } from "./host-pattern.ts";

/** Options of {@link httpsRedirect}. */
export interface HttpsRedirectOptions {
  /** 307 (default, as Starlette: keeps the method and body) or 308. */
  status?: 307 | 308;
  /** Whose `X-Forwarded-Proto` / `-Host` to believe (default: the server's `trustProxy`). */
  trustProxy?: TrustProxy;
}

/**
 * Redirects plain-HTTP requests to the same URL over HTTPS. Behind a TLS-terminating proxy the
 * scheme comes from `X-Forwarded-Proto`, read only from hops `trustProxy` names (see
 * `requestProtocol` in `velox/server`), so a client cannot fake it. The port is dropped when it is
 * 80 or 443. A Host header that is not a plain host name is answered 400 instead of becoming an
 * open redirect; pair it with `trustedHost` to redirect only to your own names.
 *
 * @example
 * ```ts
 * import { httpsRedirect } from "velox/middleware/https-redirect";
 * app.register(httpsRedirect());
 * await serve(app, { port: 8000, trustProxy: "loopback" }); // nginx on the same machine
 * ```
 */
export function httpsRedirect(options: HttpsRedirectOptions = {}): MiddlewarePlugin {
  const status = options.status ?? 307;
  if (status !== 307 && status !== 308) throw new VeloxError("VX_INVALID_OPTION", `httpsRedirect: status must be 307 or 308, got ${String(status)}`);
  const trust = options.trustProxy;
  return middlewarePlugin("httpsRedirect", {
    onRequest(ctx) {
      if (requestProtocol(ctx.req, trust) === "https") return;
      const raw = requestHost(ctx.req, trust) ?? "";
      const host = hostOf(raw);
      if (host === null) return new PlainTextResponse("Invalid host header", { status: 400 });
      const port = portOf(raw);
      const authority = port === undefined || port === "80" || port === "443" ? host : `${host}:${port}`;
      const path = ctx.url.startsWith("/") ? ctx.url : `/${ctx.url}`;
      return new RedirectResponse(`https://${authority}${path}`, status);
    },
  });
}
