import { describe, expect, it } from "vitest";
import { HTTPBasic, HTTPBearer, HTTPDigest, HTTPException, Velox, VeloxError, depends, safeCompare, schemeInfo, unauthorized } from "../../src/index.ts";
import { useTestClient } from "./test-client.ts";

const serve = useTestClient();

const basicHeader = (text: string) => `Basic ${Buffer.from(text, "utf8").toString("base64")}`;

describe("HTTPBearer", () => {
  const bearer = HTTPBearer({ bearerFormat: "JWT" });
  const optional = HTTPBearer({ autoError: false });
  function app() {
    const a = new Velox({ logger: false });
    a.get("/b", { deps: { auth: bearer } }, ({ auth }) => auth);
    a.get("/o", { deps: { auth: optional } }, ({ auth }) => ({ auth: auth ?? null }));
    return serve(a);
  }

  it("yields the scheme as sent and the credentials", async () => {
    expect((await app().get("/b", { headers: { authorization: "bearer tok" } })).json()).toEqual({ scheme: "bearer", credentials: "tok" });
  });

  it.each([["missing", undefined], ["another scheme", "Basic abc"], ["no credentials", "Bearer"]])(
    "answers 401 Not authenticated with WWW-Authenticate: Bearer when %s (FastAPI >= 0.122)",
    async (_label, header) => {
      const res = await app().get("/b", header ? { headers: { authorization: header } } : {});
      expect(res.status).toBe(401);
      expect(res.json()).toEqual({ detail: "Not authenticated" });
      expect(res.headers["www-authenticate"]).toBe("Bearer");
    },
  );

  it("yields undefined with autoError: false, for a missing header and another scheme", async () => {
    const c = app();
    expect((await c.get("/o")).json()).toEqual({ auth: null });
    expect((await c.get("/o", { headers: { authorization: "Basic abc" } })).json()).toEqual({ auth: null });
    expect((await c.get("/o", { headers: { authorization: "Bearer t" } })).json()).toEqual({ auth: { scheme: "Bearer", credentials: "t" } });
  });

  it("documents the bearer format", () => {
    expect(schemeInfo(bearer)).toEqual({ name: "HTTPBearer", scheme: { type: "http", scheme: "bearer", bearerFormat: "JWT" }, challenge: "Bearer" });
  });
});

describe("HTTPDigest", () => {
  it("extracts the header only, as FastAPI does", async () => {
    const digest = HTTPDigest();
    const optional = HTTPDigest({ autoError: false });
    const a = new Velox({ logger: false });
    a.get("/d", { deps: { auth: digest } }, ({ auth }) => auth);
    a.get("/o", { deps: { auth: optional } }, ({ auth }) => ({ auth: auth ?? null }));
    const c = serve(a);
    const header = 'Digest username="Mufasa", realm="x", nonce="n", uri="/d", response="r"';
    expect((await c.get("/d", { headers: { authorization: header } })).json()).toEqual({
      scheme: "Digest",
      credentials: 'username="Mufasa", realm="x", nonce="n", uri="/d", response="r"',
    });
    for (const bad of [undefined, "Bearer x"]) {
      const res = await c.get("/d", bad ? { headers: { authorization: bad } } : {});
      expect(res.status).toBe(401);
      expect(res.json()).toEqual({ detail: "Not authenticated" });
      expect(res.headers["www-authenticate"]).toBe("Digest");
    }
    expect((await c.get("/o", { headers: { authorization: "Bearer x" } })).json()).toEqual({ auth: null });
    expect(schemeInfo(digest)?.scheme).toEqual({ type: "http", scheme: "digest" });
  });
});

describe("HTTPBasic", () => {
  function app(options: Parameters<typeof HTTPBasic>[0] = {}) {
    const basic = HTTPBasic(options);
    const a = new Velox({ logger: false });
    a.get("/me", { deps: { credentials: basic } }, ({ credentials }) => credentials ?? { none: true });
    return serve(a);
  }

  it("decodes the user name and password (the password may hold colons)", async () => {
    const res = await app().get("/me", { headers: { authorization: basicHeader("stanley:sword:fish") } });
    expect(res.json()).toEqual({ username: "stanley", password: "sword:fish" });
  });

  it("decodes UTF-8 credentials (RFC 7617)", async () => {
    expect((await app().get("/me", { headers: { authorization: basicHeader("jörg:pässword") } })).json()).toEqual({ username: "jörg", password: "pässword" });
  });

  it("answers 401 with WWW-Authenticate: Basic, and the realm when configured", async () => {
    const plain = await app().get("/me");
    expect(plain.status).toBe(401);
    expect(plain.json()).toEqual({ detail: "Not authenticated" });
    expect(plain.headers["www-authenticate"]).toBe("Basic");
    const realm = await app({ realm: "simple" }).get("/me", { headers: { authorization: "Bearer abc" } });
    expect(realm.status).toBe(401);
    expect(realm.headers["www-authenticate"]).toBe('Basic realm="simple"');
  });

  it.each([
    ["not base64", "Basic %%%"],
    ["no colon", basicHeader("nocolon")],
    ["invalid UTF-8", `Basic ${Buffer.from([0x61, 0x3a, 0xff]).toString("base64")}`],
    ["empty", "Basic"],
  ])("answers 401 to credentials that do not decode (%s), even with autoError: false", async (_label, header) => {
    for (const autoError of [true, false]) {
      const res = await app({ autoError, realm: "r" }).get("/me", { headers: { authorization: header } });
      expect(res.status).toBe(401);
      expect(res.json()).toEqual({ detail: "Not authenticated" });
      expect(res.headers["www-authenticate"]).toBe('Basic realm="r"');
      }
  });

  it("yields undefined without Basic credentials when autoError is false", async () => {
    expect((await app({ autoError: false }).get("/me")).json()).toEqual({ none: true });
  });

  it("checks credentials in constant time and rejects with the realm's challenge (FastAPI's tutorial)", async () => {
    const basic = HTTPBasic({ realm: "admin area" });
    const username = depends({ deps: { credentials: basic } }, ({ credentials }) => {
      const userOk = safeCompare(credentials.username, "stanleyjobson");
      const passwordOk = safeCompare(credentials.password, "swordfish");
      if (!(userOk && passwordOk)) throw unauthorized(basic, "Incorrect username or password");
      return credentials.username;
    });
    const a = new Velox({ logger: false });
    a.get("/users/me", { deps: { username } }, ({ username }) => ({ username }));
    const c = serve(a);
    expect((await c.get("/users/me", { headers: { authorization: basicHeader("stanleyjobson:swordfish") } })).json()).toEqual({ username: "stanleyjobson" });
    const wrong = await c.get("/users/me", { headers: { authorization: basicHeader("stanleyjobson:swordfisH") } });
    expect(wrong.status).toBe(401);
    expect(wrong.json()).toEqual({ detail: "Incorrect username or password" });
    expect(wrong.headers["www-authenticate"]).toBe('Basic realm="admin area"');
  });

  it("quotes the realm and refuses control characters in it", () => {
    expect(schemeInfo(HTTPBasic({ realm: 'say "hi"' }))?.challenge).toBe('Basic realm="say \\"hi\\""');
    expect(() => HTTPBasic({ realm: "bad\r\nSet-Cookie: x=1" })).toThrow(VeloxError);
  });

  it("can answer 403 through notAuthenticatedError", async () => {
    const res = await app({ notAuthenticatedError: () => new HTTPException(403, "Forbidden") }).get("/me");
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({ detail: "Forbidden" });
  });
});
