import { describe, expect, it, vi } from "vitest";
import { AccessTokenVerifier } from "./access-token-cache.ts";
import { tokenConfig } from "./token-config.ts";
import * as tokens from "./tokens.ts";

const config = tokenConfig({ secret: "cache-test-secret-cache-test-secret!!", issuer: "i", audience: "a", accessTtlSeconds: 60, refreshTtlSeconds: 600 });

describe("AccessTokenVerifier", () => {
  it("verifies a token once and answers it from memory until it expires", async () => {
    let now = Date.now();
    const verifier = new AccessTokenVerifier(config, { now: () => now });
    const { token, expiresAt } = await tokens.issueAccessToken(config, { userId: 7, scopes: ["read"] }, new Date(now));
    const spy = vi.spyOn(tokens, "verifyAccess");
    try {
      const first = await verifier.verify(token);
      const second = await verifier.verify(token);
      expect(first).toMatchObject({ ok: true, claims: { userId: 7, scopes: ["read"] } });
      expect(second).toEqual(first);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(Object.isFrozen(second.ok && second.claims.scopes)).toBe(true);
      // At exp the cached entry is gone and jose decides again (expired: the real clock is past it).
      now = expiresAt.getTime();
      await verifier.verify(token);
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });

  it("never remembers a refused token", async () => {
    const verifier = new AccessTokenVerifier(config);
    const spy = vi.spyOn(tokens, "verifyAccess");
    try {
      const { token } = await tokens.issueAccessToken(config, { userId: 7, scopes: [] });
      const tampered = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
      for (let i = 0; i < 3; i++) expect(await verifier.verify(tampered)).toMatchObject({ ok: false, error: { reason: "invalid" } });
      expect(spy).toHaveBeenCalledTimes(3);
      const expired = await tokens.issueAccessToken(config, { userId: 7, scopes: [] }, new Date(Date.now() - 3_600_000));
      expect(await verifier.verify(expired.token)).toMatchObject({ ok: false, error: { reason: "expired" } });
    } finally {
      spy.mockRestore();
    }
  });
});
