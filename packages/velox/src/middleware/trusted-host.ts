import { VeloxError } from "../errors.ts";
import { PlainTextResponse, RedirectResponse } from "../responses/simple.ts";
import { requestHost, requestProtocol, type TrustProxy } from "../server/trust-proxy.ts";
import { middlewarePlugin, type MiddlewarePlugin } from "./hook-types.ts";
import { compileHosts, hostOf, portOf } from "./host-pattern.ts";

/** Options of {@link trustedHost}. */
export interface TrustedHostOptions {
  /** Host names served: `example.com`, `*.example.com` (subdomains, not the apex), or `*`. */
  allowedHosts: readonly string[];
  /** Redirect `example.com` to `www.example.com` when only the latter is listed (default true, as Starlette). */
  wwwRedirect?: boolean;
  /** Read `X-Forwarded-Host` through these proxies (default: the server's `trustProxy`). */
  trustProxy?: TrustProxy;
}

/**
 * Answers 400 "Invalid host header" to requests whose `Host` (or, from a trusted proxy,
 * `X-Forwarded-Host`) is not an allowed host — a guard against DNS rebinding and Host-header
 * poisoning of absolute URLs (password-reset links, redirects). One `onRequest` hook, run before
 * routing's answers, so unmatched paths are checked too.
 *
 * @example
 * ```ts
 * import { trustedHost } from "velox/middleware/trusted-host";
 * app.register(trustedHost({ allowedHosts: ["example.com", "*.example.com"] }));
 * ```
 */
export function trustedHost(options: TrustedHostOptions): MiddlewarePlugin {
  if (!Array.isArray(options?.allowedHosts) || options.allowedHosts.length === 0) {
    throw new VeloxError("VX_INVALID_OPTION", "trustedHost: allowedHosts must list at least one host (or \"*\")");
  }
  const allowed = compileHosts(options.allowedHosts, "trustedHost");
  const wwwRedirect = options.wwwRedirect ?? true;
  const trust = options.trustProxy;
  return middlewarePlugin("trustedHost", {
    onRequest(ctx) {
      if (allowed.any) return;
      const raw = requestHost(ctx.req, trust);
      const host = hostOf(raw);
      if (host !== null && allowed(host)) return;
      if (host !== null && wwwRedirect && allowed.listed(`www.${host}`)) {
        const port = portOf(raw!);
        return new RedirectResponse(`${requestProtocol(ctx.req, trust)}://www.${host}${port === undefined ? "" : `:${port}`}${ctx.url}`, 307);
      }
      return new PlainTextResponse("Invalid host header", { status: 400 });
    },
  });
}
