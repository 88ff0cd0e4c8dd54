import { describe, expectTypeOf, it } from "vitest";
import {
  APIKeyCookie,
  APIKeyHeader,
  APIKeyQuery,
  HTTPBasic,
  HTTPBearer,
  HTTPDigest,
  OAuth2AuthorizationCodeBearer,
  OAuth2PasswordBearer,
  OAuth2PasswordRequestForm,
  OAuth2PasswordRequestFormStrict,
  OpenIdConnect,
  Velox,
  depends,
  security,
  type Dependency,
  type HTTPAuthorizationCredentials,
  type HTTPBasicCredentials,
  type OAuth2PasswordRequest,
} from "../../src/index.ts";

describe("security scheme types", () => {
  it("yield their credentials, or undefined too when autoError may be false", () => {
    expectTypeOf(OAuth2PasswordBearer({ tokenUrl: "t" })).toEqualTypeOf<Dependency<string>>();
    expectTypeOf(OAuth2PasswordBearer({ tokenUrl: "t", autoError: false })).toEqualTypeOf<Dependency<string | undefined>>();
    expectTypeOf(OAuth2PasswordBearer({ tokenUrl: "t", autoError: true })).toEqualTypeOf<Dependency<string>>();
    const flag: boolean = Math.random() > 0.5;
    expectTypeOf(OAuth2PasswordBearer({ tokenUrl: "t", autoError: flag })).toEqualTypeOf<Dependency<string | undefined>>();
    expectTypeOf(OAuth2AuthorizationCodeBearer({ authorizationUrl: "a", tokenUrl: "t" })).toEqualTypeOf<Dependency<string>>();
    expectTypeOf(HTTPBearer()).toEqualTypeOf<Dependency<HTTPAuthorizationCredentials>>();
    expectTypeOf(HTTPDigest({ autoError: false })).toEqualTypeOf<Dependency<HTTPAuthorizationCredentials | undefined>>();
    expectTypeOf(HTTPBasic({ realm: "r" })).toEqualTypeOf<Dependency<HTTPBasicCredentials>>();
    expectTypeOf(APIKeyHeader({ name: "x" })).toEqualTypeOf<Dependency<string>>();
    expectTypeOf(APIKeyQuery({ name: "x", autoError: false })).toEqualTypeOf<Dependency<string | undefined>>();
    expectTypeOf(APIKeyCookie({ name: "x" })).toEqualTypeOf<Dependency<string>>();
    expectTypeOf(OpenIdConnect({ openIdConnectUrl: "u" })).toEqualTypeOf<Dependency<string>>();
  });

  it("type the password forms", () => {
    expectTypeOf(OAuth2PasswordRequestForm).toEqualTypeOf<Dependency<OAuth2PasswordRequest>>();
    expectTypeOf(OAuth2PasswordRequestFormStrict).toEqualTypeOf<Dependency<OAuth2PasswordRequest & { grantType: string }>>();
  });

  it("flow into dependencies and handlers", () => {
    const oauth2 = OAuth2PasswordBearer({ tokenUrl: "token" });
    const optional = HTTPBearer({ autoError: false });
    const currentUser = depends({ deps: { token: oauth2 } }, ({ token, securityScopes }) => {
      expectTypeOf(token).toEqualTypeOf<string>();
      expectTypeOf(securityScopes.scopes).toEqualTypeOf<readonly string[]>();
      return { name: token };
    });
    const app = new Velox();
    app.get("/me", { deps: { user: security(currentUser, ["me"]), maybe: optional } }, ({ user, maybe }) => {
      expectTypeOf(user).toEqualTypeOf<{ name: string }>();
      expectTypeOf(maybe).toEqualTypeOf<HTTPAuthorizationCredentials | undefined>();
      return user;
    });
    app.post("/token", { deps: { login: OAuth2PasswordRequestForm } }, ({ login }) => {
      expectTypeOf(login.scopes).toEqualTypeOf<string[]>();
      expectTypeOf(login.clientId).toEqualTypeOf<string | undefined>();
      return null;
    });
  });
});
