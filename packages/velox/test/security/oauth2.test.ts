import { describe, expect, it } from "vitest";
import {
  HTTPException,
  OAuth2,
  OAuth2AuthorizationCodeBearer,
  OAuth2PasswordBearer,
  OpenIdConnect,
  Velox,
  depends,
  schemeInfo,
  unauthorized,
} from "../../src/index.ts";
import { useTestClient } from "./test-client.ts";

const serve = useTestClient();

describe("OAuth2PasswordBearer", () => {
  const oauth2 = OAuth2PasswordBearer({ tokenUrl: "token", scopes: { me: "Read me" } });

  function app() {
    const a = new Velox({ logger: false });
    a.get("/token-echo", { deps: { token: oauth2 } }, ({ token }) => ({ token }));
    return serve(a);
  }

  it("yields the bearer token, whatever the scheme's case", async () => {
    const c = app();
    expect((await c.get("/token-echo", { headers: { authorization: "Bearer abc.def" } })).json()).toEqual({ token: "abc.def" });
    expect((await c.get("/token-echo", { headers: { authorization: "bearer xyz" } })).json()).toEqual({ token: "xyz" });
  });

  it.each([
    ["no header", undefined],
    ["another scheme", "Basic dXNlcjpwYXNz"],
    ["a bare scheme", "Bearer"],
    ["an empty token", "Bearer   "],
  ])("answers 401 with WWW-Authenticate: Bearer for %s", async (_label, header) => {
    const res = await app().get("/token-echo", header ? { headers: { authorization: header } } : {});
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ detail: "Not authenticated" });
    expect(res.headers["www-authenticate"]).toBe("Bearer");
  });

  it("yields undefined with autoError: false", async () => {
    const optional = OAuth2PasswordBearer({ tokenUrl: "token", autoError: false });
    const a = new Velox({ logger: false });
    a.get("/maybe", { deps: { token: optional } }, ({ token }) => ({ token: token ?? null }));
    const c = serve(a);
    expect((await c.get("/maybe")).json()).toEqual({ token: null });
    expect((await c.get("/maybe", { headers: { authorization: "Token x" } })).json()).toEqual({ token: null });
    expect((await c.get("/maybe", { headers: { authorization: "Bearer t1" } })).json()).toEqual({ token: "t1" });
  });

  it("describes itself for OpenAPI", () => {
    expect(schemeInfo(oauth2)).toEqual({
      name: "OAuth2PasswordBearer",
      scheme: { type: "oauth2", flows: { password: { tokenUrl: "token", scopes: { me: "Read me" } } } },
      challenge: "Bearer",
    });
    const named = OAuth2PasswordBearer({ tokenUrl: "/auth/token", refreshUrl: "/auth/refresh", schemeName: "UserAuth", description: "Users" });
    expect(schemeInfo(named)).toMatchObject({
      name: "UserAuth",
      scheme: { type: "oauth2", description: "Users", flows: { password: { tokenUrl: "/auth/token", refreshUrl: "/auth/refresh", scopes: {} } } },
    });
    expect(named.name).toBe("UserAuth");
  });

  it("can keep FastAPI's old 403 through notAuthenticatedError", async () => {
    const legacy = OAuth2PasswordBearer({ tokenUrl: "token", notAuthenticatedError: () => new HTTPException(403, "Not authenticated") });
    const a = new Velox({ logger: false });
    a.get("/legacy", { deps: { token: legacy } }, ({ token }) => token);
    const res = await serve(a).get("/legacy");
    expect(res.status).toBe(403);
    expect(res.headers["www-authenticate"]).toBeUndefined();
  });

  it("lets a user dependency reject a token with the scheme's challenge", async () => {
    const currentUser = depends({ deps: { token: oauth2 } }, ({ token }) => {
      if (token !== "good") throw unauthorized(oauth2, "Could not validate credentials");
      return { name: "ada" };
    });
    const a = new Velox({ logger: false });
    a.get("/me", { deps: { user: currentUser } }, ({ user }) => user);
    const c = serve(a);
    expect((await c.get("/me", { headers: { authorization: "Bearer good" } })).json()).toEqual({ name: "ada" });
    const bad = await c.get("/me", { headers: { authorization: "Bearer bad" } });
    expect(bad.status).toBe(401);
    expect(bad.json()).toEqual({ detail: "Could not validate credentials" });
    expect(bad.headers["www-authenticate"]).toBe("Bearer");
  });

  it("refuses unauthorized() for a dependency that is not a scheme", () => {
    expect(() => unauthorized(depends(() => 1))).toThrow(/not a security scheme/);
  });
});

describe("OAuth2AuthorizationCodeBearer", () => {
  it("yields the bearer token and documents the authorization code flow", async () => {
    const scheme = OAuth2AuthorizationCodeBearer({ authorizationUrl: "https://id.example/authorize", tokenUrl: "https://id.example/token" });
    const a = new Velox({ logger: false });
    a.get("/t", { deps: { token: scheme } }, ({ token }) => ({ token }));
    const c = serve(a);
    expect((await c.get("/t", { headers: { authorization: "Bearer code-token" } })).json()).toEqual({ token: "code-token" });
    const missing = await c.get("/t");
    expect(missing.status).toBe(401);
    expect(missing.headers["www-authenticate"]).toBe("Bearer");
    expect(schemeInfo(scheme)?.scheme).toEqual({
      type: "oauth2",
      flows: { authorizationCode: { authorizationUrl: "https://id.example/authorize", tokenUrl: "https://id.example/token", scopes: {} } },
    });
  });

  it("yields undefined with autoError: false", async () => {
    const scheme = OAuth2AuthorizationCodeBearer({ authorizationUrl: "/a", tokenUrl: "/t", autoError: false });
    const a = new Velox({ logger: false });
    a.get("/t", { deps: { token: scheme } }, ({ token }) => ({ missing: token === undefined }));
    expect((await serve(a).get("/t")).json()).toEqual({ missing: true });
  });
});

describe("OAuth2 and OpenIdConnect", () => {
  it.each([
    ["OAuth2", OAuth2({ flows: { clientCredentials: { tokenUrl: "/token", scopes: {} } } }), OAuth2({ flows: {}, autoError: false })],
    ["OpenIdConnect", OpenIdConnect({ openIdConnectUrl: "https://id.example/.well-known/openid-configuration" }), OpenIdConnect({ openIdConnectUrl: "/oidc", autoError: false })],
  ])("%s yields the raw Authorization header", async (_name, required, optional) => {
    const a = new Velox({ logger: false });
    a.get("/r", { deps: { auth: required } }, ({ auth }) => ({ auth }));
    a.get("/o", { deps: { auth: optional } }, ({ auth }) => ({ auth: auth ?? null }));
    const c = serve(a);
    expect((await c.get("/r", { headers: { authorization: "Token abc" } })).json()).toEqual({ auth: "Token abc" });
    const missing = await c.get("/r");
    expect(missing.status).toBe(401);
    expect(missing.json()).toEqual({ detail: "Not authenticated" });
    expect(missing.headers["www-authenticate"]).toBe("Bearer");
    expect((await c.get("/o")).json()).toEqual({ auth: null });
  });

  it("documents OpenID Connect", () => {
    const oidc = OpenIdConnect({ openIdConnectUrl: "https://id.example/.well-known/openid-configuration" });
    expect(schemeInfo(oidc)).toMatchObject({ name: "OpenIdConnect", scheme: { type: "openIdConnect", openIdConnectUrl: "https://id.example/.well-known/openid-configuration" } });
  });
});
