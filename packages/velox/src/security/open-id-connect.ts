import type { Dependency } from "../di/dependency.ts";
import { defineScheme, type SchemeOptions, type SchemeResult } from "./scheme.ts";

/** Options of {@link OpenIdConnect}. */
export interface OpenIdConnectOptions extends SchemeOptions {
  /** The provider's discovery document (`.../.well-known/openid-configuration`). */
  openIdConnectUrl: string;
}

/**
 * OpenID Connect, documented for OpenAPI: yields the raw `Authorization` header value, as FastAPI
 * does; validating the token against the provider is yours. Without the header it answers 401
 * `Not authenticated` with `WWW-Authenticate: Bearer`.
 *
 * @example
 * ```ts
 * const oidc = OpenIdConnect({ openIdConnectUrl: "https://accounts.example.com/.well-known/openid-configuration" });
 * app.get("/me", { deps: { authorization: oidc } }, ({ authorization }) => verifyIdToken(authorization));
 * ```
 */
export function OpenIdConnect<const O extends OpenIdConnectOptions>(options: O): Dependency<SchemeResult<O, string>> {
  return defineScheme({
    kind: "OpenIdConnect",
    options,
    scheme: { type: "openIdConnect", openIdConnectUrl: options.openIdConnectUrl },
    challenge: "Bearer",
    extract: (req, missing) => req.headers.authorization || missing(),
  }) as Dependency<SchemeResult<O, string>>;
}
