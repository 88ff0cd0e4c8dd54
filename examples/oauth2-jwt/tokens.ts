import { SignJWT, jwtVerify } from "jose";

/** The one algorithm tokens are signed and accepted with: pinning it rules out `alg: none` and algorithm confusion. */
export const ALGORITHM = "HS256";

/** The `typ` header of access tokens (RFC 9068), so another kind of token (a refresh token) is never taken for one. */
export const ACCESS_TOKEN_TYPE = "at+jwt";

/** Signs and checks access tokens with an HMAC secret of at least 32 bytes. */
export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(secret: string, private readonly ttlSeconds = 30 * 60) {
    this.key = new TextEncoder().encode(secret);
    if (this.key.length < 32) throw new Error("The JWT secret must be at least 32 bytes");
  }

  /** A token for `subject` that expires after the configured lifetime. */
  issue(subject: string, now = Math.floor(Date.now() / 1000)): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: ALGORITHM, typ: ACCESS_TOKEN_TYPE })
      .setSubject(subject)
      .setIssuedAt(now)
      .setExpirationTime(now + this.ttlSeconds)
      .sign(this.key);
  }

  /** The token's subject, or null when the token is malformed, forged, expired or lacks `exp`/`sub`. */
  async subject(token: string): Promise<string | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: [ALGORITHM], typ: ACCESS_TOKEN_TYPE, requiredClaims: ["exp", "sub"] });
      return typeof payload.sub === "string" ? payload.sub : null;
    } catch {
      return null;
    }
  }
}
