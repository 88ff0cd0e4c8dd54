import { validateHeaderName, validateHeaderValue } from "node:http";
import { VeloxError } from "../errors.ts";
import { middlewarePlugin, type MiddlewarePlugin } from "./hook-types.ts";

/**
 * The headers {@link securityHeaders} sends, by name; `false` leaves one out, a string replaces
 * its value. Defaults follow helmet's, without `upgrade-insecure-requests` (it breaks plain-HTTP
 * development servers; HSTS covers production).
 */
export interface SecurityHeadersOptions {
  contentSecurityPolicy?: string | false;
  strictTransportSecurity?: string | false;
  xContentTypeOptions?: string | false;
  xFrameOptions?: string | false;
  referrerPolicy?: string | false;
  crossOriginOpenerPolicy?: string | false;
  crossOriginResourcePolicy?: string | false;
  crossOriginEmbedderPolicy?: string | false;
  originAgentCluster?: string | false;
  permissionsPolicy?: string | false;
  xDnsPrefetchControl?: string | false;
  xDownloadOptions?: string | false;
  xPermittedCrossDomainPolicies?: string | false;
  xXssProtection?: string | false;
  /** More headers to send, by name. */
  extra?: Record<string, string>;
}

/** The default set: what the Swagger UI and ReDoc pages Velox serves work under (tested in Chromium). */
export const DEFAULT_SECURITY_HEADERS: Readonly<Record<keyof Omit<SecurityHeadersOptions, "extra">, string | false>> = Object.freeze({
  contentSecurityPolicy:
    "default-src 'self'; base-uri 'self'; font-src 'self' https: data:; form-action 'self'; frame-ancestors 'self'; " +
    "img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' https: 'unsafe-inline'; worker-src 'self' blob:",
  strictTransportSecurity: "max-age=31536000; includeSubDomains",
  xContentTypeOptions: "nosniff",
  xFrameOptions: "SAMEORIGIN",
  referrerPolicy: "no-referrer",
  crossOriginOpenerPolicy: "same-origin",
  crossOriginResourcePolicy: "same-origin",
  crossOriginEmbedderPolicy: false,
  originAgentCluster: "?1",
  permissionsPolicy: false,
  xDnsPrefetchControl: "off",
  xDownloadOptions: "noopen",
  xPermittedCrossDomainPolicies: "none",
  xXssProtection: "0",
});

const NAMES: Record<keyof typeof DEFAULT_SECURITY_HEADERS, string> = {
  contentSecurityPolicy: "content-security-policy",
  strictTransportSecurity: "strict-transport-security",
  xContentTypeOptions: "x-content-type-options",
  xFrameOptions: "x-frame-options",
  referrerPolicy: "referrer-policy",
  crossOriginOpenerPolicy: "cross-origin-opener-policy",
  crossOriginResourcePolicy: "cross-origin-resource-policy",
  crossOriginEmbedderPolicy: "cross-origin-embedder-policy",
  originAgentCluster: "origin-agent-cluster",
  permissionsPolicy: "permissions-policy",
  xDnsPrefetchControl: "x-dns-prefetch-control",
  xDownloadOptions: "x-download-options",
  xPermittedCrossDomainPolicies: "x-permitted-cross-domain-policies",
  xXssProtection: "x-xss-protection",
};

/**
 * The header set as `[name, value]` pairs, checked once (a CR/LF or an unknown option throws at
 * registration).
 *
 * @example
 * ```ts
 * securityHeaderSet({ xFrameOptions: "DENY", contentSecurityPolicy: false });
 * ```
 */
export function securityHeaderSet(options: SecurityHeadersOptions = {}): [string, string][] {
  for (const key of Object.keys(options)) {
    if (key !== "extra" && !(key in NAMES)) throw new VeloxError("VX_UNKNOWN_OPTION", `securityHeaders: unknown option "${key}"`);
  }
  const pairs: [string, string][] = [];
  for (const [key, name] of Object.entries(NAMES) as [keyof typeof NAMES, string][]) {
    const value = options[key] === undefined ? DEFAULT_SECURITY_HEADERS[key] : options[key];
    if (value === false) continue;
    if (typeof value !== "string") throw new VeloxError("VX_INVALID_OPTION", `securityHeaders: ${key} must be a string or false`);
    pairs.push([name, value]);
  }
  for (const [name, value] of Object.entries(options.extra ?? {})) pairs.push([name.toLowerCase(), value]);
  for (const [name, value] of pairs) {
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch {
      throw new VeloxError("VX_INVALID_OPTION", `securityHeaders: ${name} is not a valid header (CR/LF or bad characters)`);
    }
  }
  return pairs;
}

/**
 * Sends security headers (CSP, HSTS, nosniff, frame options, referrer and cross-origin policies)
 * on every response, computed once; a header the route set itself is kept. One `onSend` hook.
 *
 * @example
 * ```ts
 * import { securityHeaders } from "velox/middleware/security-headers";
 * app.register(securityHeaders({ xFrameOptions: "DENY", strictTransportSecurity: "max-age=63072000; includeSubDomains; preload" }));
 * ```
 */
export function securityHeaders(options: SecurityHeadersOptions = {}): MiddlewarePlugin {
  const pairs = securityHeaderSet(options);
  return middlewarePlugin("securityHeaders", {
    onSend(_ctx, response) {
      const headers = response.headers;
      for (let i = 0; i < pairs.length; i++) {
        const [name, value] = pairs[i]!;
        if (headers[name] === undefined) headers[name] = value;
      }
    },
  });
}
