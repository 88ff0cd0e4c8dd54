/**
 * Regression (issue 12, defect 5): a correctly signed access token whose `sub` was the JSON number
 * 1 instead of the string "1" was accepted (the subject check coerced it). RFC 7519 §4.1.2 makes
 * `sub` a string; anything else is an invalid token.
 */
import { SignJWT } from "jose";
import { expect, it } from "vitest";
import { describeEachApp, TEST_JWT_SECRET } from "../testing/app-harness.ts";

describeEachApp("a token whose sub is not a string", (t) => {
  it("is refused with 401, while the same token with a string sub is accepted", async () => {
    const bob = await t.login("bob");
    const now = Math.floor(Date.now() / 1000);
    const sign = (sub: unknown) =>
      new SignJWT({ sub, scopes: ["read"], token_type: "access" } as Record<string, unknown>)
        .setProtectedHeader({ alg: "HS256", typ: "at+jwt" })
        .setIssuer(t.settings.jwt.issuer)
        .setAudience(t.settings.jwt.audience)
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const me = async (token: string) => (await t.client.get("/users/me", { headers: { authorization: `Bearer ${token}` } })).status;

    expect(await me(await sign(String(bob.user.id)))).toBe(200);
    for (const sub of [bob.user.id, [String(bob.user.id)], { id: bob.user.id }, true]) {
      expect(await me(await sign(sub)), JSON.stringify(sub)).toBe(401);
    }
  });
});
