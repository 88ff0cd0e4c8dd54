import { SignJWT, UnsecuredJWT, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { tokenConfig, type TokenConfig } from "./token-config.ts";
import { issueAccessToken, issueRefreshToken, issueTokens, refreshExpiry, verifyAccess, verifyRefresh, type Verified } from "./tokens.ts";

const config: TokenConfig = tokenConfig({
  secret: "test-secret-that-is-long-enough-for-hs256!",
  issuer: "velox-test",
  audience: "velox-test-api",
  accessTtlSeconds: 900,
  refreshTtlSeconds: 7 * 24 * 3600,
});
const subject = { userId: 42, scopes: ["read", "write"] };
const refreshSubject = { ...subject, jti: "jti-1", expiresAt: refreshExpiry(config) };

function reason<T>(result: Verified<T>): string {
  return result.ok ? "ok" : result.error.reason;
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

describe("issueTokens / verifyAccess / verifyRefresh", () => {
  it("issues an OAuth2 token pair whose halves verify as their own kind", async () => {
    const pair = await issueTokens(config, { ...subject, refresh: { jti: "jti-1", expiresAt: refreshExpiry(config) } });
    expect(pair).toMatchObject({ token_type: "bearer", expires_in: 900 });
    const access = await verifyAccess(config, pair.access_token);
    expect(access).toMatchObject({ ok: true, claims: { userId: 42, scopes: ["read", "write"] } });
    if (access.ok) expect(access.claims.expiresAt.getTime() - access.claims.issuedAt.getTime()).toBe(900_000);
    expect(await verifyRefresh(config, pair.refresh_token)).toMatchObject({ ok: true, claims: { userId: 42, jti: "jti-1", scopes: ["read", "write"] } });
    expect(decodeProtectedHeader(pair.access_token)).toEqual({ alg: "HS256", typ: "at+jwt" });
    expect(decodeProtectedHeader(pair.refresh_token)).toEqual({ alg: "HS256", typ: "refresh+jwt" });
  });

  it("refuses alg none", async () => {
    const unsigned = new UnsecuredJWT({ scopes: ["admin"], token_type: "access" })
      .setSubject("42")
      .setIssuer(config.issuer)
      .setAudience(config.audience)
      .setIssuedAt()
      .setExpirationTime("15m")
      .encode();
    expect(reason(await verifyAccess(config, unsigned))).toBe("invalid");
    // The same with a header claiming the access type and a stray signature.
    const [, payload] = unsigned.split(".");
    const forged = `${b64url({ alg: "none", typ: "at+jwt" })}.${payload}.`;
    expect(reason(await verifyAccess(config, forged))).toBe("invalid");
    const noneUpper = `${b64url({ alg: "None", typ: "at+jwt" })}.${payload}.c2ln`;
    expect(reason(await verifyAccess(config, noneUpper))).toBe("invalid");
  });

  it("refuses another HMAC algorithm even with the right key (algorithm pinned)", async () => {
    const hs512 = await new SignJWT({ scopes: [], token_type: "access" })
      .setProtectedHeader({ alg: "HS512", typ: "at+jwt" })
      .setSubject("42")
      .setIssuer(config.issuer)
      .setAudience(config.audience)
      .setIssuedAt()
      .setExpirationTime("15m")
      .sign(config.key);
    expect(reason(await verifyAccess(config, hs512))).toBe("invalid");
  });

  it("refuses an expired token with reason expired", async () => {
    const past = new Date(Date.now() - 3600_000);
    const { token } = await issueAccessToken(config, subject, past);
    expect(reason(await verifyAccess(config, token))).toBe("expired");
    const refresh = await issueRefreshToken(config, { ...refreshSubject, expiresAt: new Date(Date.now() - 1000) }, past);
    expect(reason(await verifyRefresh(config, refresh))).toBe("expired");
  });

  it("refuses a token without exp", async () => {
    const eternal = await new SignJWT({ scopes: [], token_type: "access" })
      .setProtectedHeader({ alg: "HS256", typ: "at+jwt" })
      .setSubject("42")
      .setIssuer(config.issuer)
      .setAudience(config.audience)
      .setIssuedAt()
      .sign(config.key);
    expect(reason(await verifyAccess(config, eternal))).toBe("invalid");
  });

  it("refuses a tampered signature or payload", async () => {
    const { token } = await issueAccessToken(config, subject);
    const [header, payload, signature = ""] = token.split(".");
    const flipped = signature.slice(0, -2) + (signature.endsWith("AA") ? "BB" : "AA");
    expect(reason(await verifyAccess(config, `${header}.${payload}.${flipped}`))).toBe("invalid");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString()) as Record<string, unknown>;
    const escalated = b64url({ ...claims, scopes: ["admin"], sub: "1" });
    expect(reason(await verifyAccess(config, `${header}.${escalated}.${signature}`))).toBe("invalid");
  });

  it("refuses a token signed with another secret, issuer or audience", async () => {
    const other = (overrides: Partial<Parameters<typeof tokenConfig>[0]>) =>
      tokenConfig({ secret: "another-secret-another-secret-xx", issuer: config.issuer, audience: config.audience, accessTtlSeconds: 900, refreshTtlSeconds: 60, ...overrides });
    const foreignKey = (await issueAccessToken(other({}), subject)).token;
    expect(reason(await verifyAccess(config, foreignKey))).toBe("invalid");
    const secret = "test-secret-that-is-long-enough-for-hs256!";
    expect(reason(await verifyAccess(config, (await issueAccessToken(other({ secret, issuer: "evil" }), subject)).token))).toBe("invalid");
    expect(reason(await verifyAccess(config, (await issueAccessToken(other({ secret, audience: "other-api" }), subject)).token))).toBe("invalid");
  });

  it("refuses a refresh token used as an access token, and the reverse, as wrong_type", async () => {
    const refresh = await issueRefreshToken(config, refreshSubject);
    expect(reason(await verifyAccess(config, refresh))).toBe("wrong_type");
    const { token: access } = await issueAccessToken(config, subject);
    expect(reason(await verifyRefresh(config, access))).toBe("wrong_type");
  });

  it("refuses a token whose header type and token_type claim disagree", async () => {
    const mixed = await new SignJWT({ scopes: [], token_type: "refresh" })
      .setProtectedHeader({ alg: "HS256", typ: "at+jwt" })
      .setSubject("42")
      .setJti("j")
      .setIssuer(config.issuer)
      .setAudience(config.audience)
      .setIssuedAt()
      .setExpirationTime("15m")
      .sign(config.key);
    expect(reason(await verifyAccess(config, mixed))).toBe("invalid");
    expect(reason(await verifyRefresh(config, mixed))).toBe("invalid");
  });

  it("refuses malformed claims: bad subject, missing jti, non-array scopes", async () => {
    const sign = (claims: Record<string, unknown>, typ: string, sub = "42") =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", typ })
        .setSubject(sub)
        .setIssuer(config.issuer)
        .setAudience(config.audience)
        .setIssuedAt()
        .setExpirationTime("15m")
        .sign(config.key);
    expect(reason(await verifyAccess(config, await sign({ scopes: [], token_type: "access" }, "at+jwt", "admin")))).toBe("invalid");
    expect(reason(await verifyAccess(config, await sign({ scopes: "admin", token_type: "access" }, "at+jwt")))).toBe("invalid");
    expect(reason(await verifyRefresh(config, await sign({ scopes: [], token_type: "refresh" }, "refresh+jwt")))).toBe("invalid");
  });

  it("refuses garbage and oversize input without throwing", async () => {
    for (const token of ["", "abc", "a.b.c", "a.b", "x".repeat(10_000)]) {
      expect(reason(await verifyAccess(config, token))).toBe("invalid");
    }
  });

  it("never puts the token in the error", async () => {
    const { token } = await issueAccessToken(config, subject, new Date(0));
    const result = await verifyAccess(config, token);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).not.toContain(token.slice(0, 20));
  });
});

describe("JWT_ALGORITHM", () => {
  it("pins the configured algorithm: an HS512 deployment signs HS512 and refuses HS256 with the same secret", async () => {
    const hs512 = tokenConfig({ secret: "test-secret-that-is-long-enough-for-hs256!", issuer: config.issuer, audience: config.audience, accessTtlSeconds: 900, refreshTtlSeconds: 60, algorithm: "HS512" });
    const { token } = await issueAccessToken(hs512, subject);
    expect(decodeProtectedHeader(token).alg).toBe("HS512");
    expect(reason(await verifyAccess(hs512, token))).toBe("ok");
    expect(reason(await verifyAccess(config, token))).toBe("invalid");
    const { token: hs256 } = await issueAccessToken(config, subject);
    expect(reason(await verifyAccess(hs512, hs256))).toBe("invalid");
  });
});
