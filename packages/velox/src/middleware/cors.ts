import { VeloxResponse } from "../responses/response.ts";
import { CorsPolicy, type CorsOptions } from "./cors-policy.ts";
import { middlewarePlugin, type MiddlewarePlugin } from "./hook-types.ts";

export { CorsPolicy, type CorsOptions, type PreflightAnswer, type PreflightRequest } from "./cors-policy.ts";

/**
 * Cross-Origin Resource Sharing per the Fetch standard, as two hooks. `onRequest` answers
 * preflights (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) at once — 204 with the
 * allowed method, headers and max-age, or 400 with no CORS headers — for every path, including
 * paths whose routes only exist for other methods (without the hook, such an OPTIONS is a 405).
 * `onSend` adds `Access-Control-Allow-Origin` (and credentials / exposed headers) to the response
 * of an allowed origin, 404s and 500s included, and `Vary: Origin` whenever the answer depends on
 * the origin. A disallowed origin gets no CORS header at all. Register it on the app (route-level
 * hooks do not see preflights of paths that have no OPTIONS route).
 *
 * @example
 * ```ts
 * import { cors } from "velox/middleware/cors";
 * app.register(cors({
 *   allowOrigins: ["http://localhost:3000"],
 *   allowOriginRegex: /^https:\/\/[a-z0-9-]+\.preview\.example\.com$/,
 *   allowMethods: ["*"],
 *   allowHeaders: ["*"],
 *   allowCredentials: true,
 * }));
 * ```
 */
export function cors(options: CorsOptions = {}): MiddlewarePlugin {
  const policy = new CorsPolicy(options);
  return middlewarePlugin("cors", {
    onRequest(ctx) {
      const headers = ctx.req.headers;
      if (ctx.req.method !== "OPTIONS") return;
      const origin = headers.origin;
      const method = headers["access-control-request-method"];
      if (origin === undefined || typeof method !== "string") return;
      const answer = policy.preflight({
        origin,
        method,
        headers: headers["access-control-request-headers"],
        privateNetwork: headers["access-control-request-private-network"] === "true",
      });
      const response = new VeloxResponse(answer.body, { status: answer.status });
      if (answer.body !== null) response.headers["content-type"] = "text/plain; charset=utf-8";
      Object.assign(response.headers, answer.headers);
      return response;
    },
    onSend(ctx, response) {
      const headers = ctx.req.headers;
      // A preflight answered above already carries its headers.
      if (ctx.req.method === "OPTIONS" && headers["access-control-request-method"] !== undefined && headers.origin !== undefined) return;
      policy.decorate(headers.origin, response.headers);
    },
  });
}
