import { errors, jwtVerify, SignJWT, type JWTPayload } from "jose";
import { fitsInteger } from "../models/columns.ts";
import { signingKey, type TokenConfig } from "./token-config.ts";

/** Header `typ` values (RFC 9068 for access tokens); the `token_type` claim repeats the kind. */
const TYP = { access: "at+jwt", refresh: "refresh+jwt" } as const;
/** A token longer than this is refused before parsing. */
const MAX_TOKEN_LENGTH = 8192;

export type TokenKind = keyof typeof TYP;

/** Why a token was refused: `expired`, `invalid` (malformed, tampered, bad alg/iss/aud/claims) or `wrong_type`. */
export type TokenFailure = "expired" | "invalid" | "wrong_type";

/** A refused token, with the reason; the message never includes the token. */
export class TokenError extends Error {
  override readonly name = "TokenError";
  constructor(readonly reason: TokenFailure, message: string = reasonText[reason]) {
    super(message);
  }
}

const reasonText: Record<TokenFailure, string> = {
  expired: "token has expired",
  invalid: "token is invalid",
  wrong_type: "token is of the wrong type",
};

/** What a valid access token says. */
export interface AccessClaims {
  userId: number;
  scopes: string[];
  issuedAt: Date;
  expiresAt: Date;
}

/** What a valid refresh token says; `jti` names its row in `refresh_tokens`. */
export interface RefreshClaims {
  userId: number;
  jti: string;
  scopes: string[];
  expiresAt: Date;
}

/** The result of checking a token: claims, or a typed error. */
export type Verified<T> = { ok: true; claims: T } | { ok: false; error: TokenError };

/** The OAuth2 token response (RFC 6749 §5.1), as FastAPI clients expect it. */
export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: "bearer";
  /** Seconds until the access token expires. */
  expires_in: number;
}

/** The subject of a pair of tokens and the refresh row already recorded for it. */
export interface TokenSubject {
  userId: number;
  scopes: readonly string[];
  refresh: { jti: string; expiresAt: Date };
}

/**
 * Signs an access token: the configured HMAC algorithm (HS256 by default), header `typ: at+jwt`, claims `sub`, `scopes`,
 * `token_type: "access"`, `iss`, `aud`, `iat`, `exp`.
 *
 * @example
 * ```ts
 * const { token, expiresAt } = await issueAccessToken(config, { userId: 1, scopes: ["read"] });
 * ```
 */
export async function issueAccessToken(
  config: TokenConfig,
  subject: { userId: number; scopes: readonly string[] },
  now: Date = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + config.accessTtlSeconds;
  const token = await new SignJWT({ scopes: [...subject.scopes], token_type: "access" })
    .setProtectedHeader({ alg: config.algorithm, typ: TYP.access })
    .setSubject(String(subject.userId))
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(await signingKey(config));
  return { token, expiresAt: new Date(exp * 1000) };
}

/**
 * Signs a refresh token for a row already stored by `RefreshTokenRepository`: header
 * `typ: refresh+jwt`, claims `sub`, `jti`, `scopes`, `token_type: "refresh"`, `iss`, `aud`, `iat`, `exp`.
 *
 * @example
 * ```ts
 * const record = await refreshTokens.issue(user.id, expiresAt);
 * const token = await issueRefreshToken(config, { userId: user.id, scopes, jti: record.jti, expiresAt });
 * ```
 */
export async function issueRefreshToken(
  config: TokenConfig,
  subject: { userId: number; scopes: readonly string[]; jti: string; expiresAt: Date },
  now: Date = new Date(),
): Promise<string> {
  return new SignJWT({ scopes: [...subject.scopes], token_type: "refresh" })
    .setProtectedHeader({ alg: config.algorithm, typ: TYP.refresh })
    .setSubject(String(subject.userId))
    .setJti(subject.jti)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(subject.expiresAt.getTime() / 1000))
    .sign(await signingKey(config));
}

/**
 * Signs an access token and a refresh token and shapes the OAuth2 token response.
 *
 * @example
 * ```ts
 * const record = await refreshTokens.issue(user.id, refreshExpiry(config));
 * return issueTokens(config, { userId: user.id, scopes: granted, refresh: record });
 * ```
 */
export async function issueTokens(config: TokenConfig, subject: TokenSubject, now: Date = new Date()): Promise<TokenPair> {
  const [access, refresh] = await Promise.all([
    issueAccessToken(config, subject, now),
    issueRefreshToken(config, { userId: subject.userId, scopes: subject.scopes, ...subject.refresh }, now),
  ]);
  return { access_token: access.token, refresh_token: refresh, token_type: "bearer", expires_in: config.accessTtlSeconds };
}

/**
 * When a refresh token issued now expires.
 *
 * @example
 * ```ts
 * await refreshTokens.issue(user.id, refreshExpiry(config));
 * ```
 */
export function refreshExpiry(config: TokenConfig, now: Date = new Date()): Date {
  return new Date(now.getTime() + config.refreshTtlSeconds * 1000);
}

/**
 * Checks an access token: the configured algorithm only, signature, `exp` (required), issuer, audience, and that it
 * is an access token. A refresh token here fails with `wrong_type`.
 *
 * @example
 * ```ts
 * const result = await verifyAccess(config, bearerToken);
 * if (!result.ok) throw new HTTPException(401, "Could not validate credentials", { "WWW-Authenticate": "Bearer" });
 * result.claims.userId;
 * ```
 */
export async function verifyAccess(config: TokenConfig, token: string): Promise<Verified<AccessClaims>> {
  const checked = await verifyKind(config, token, "access");
  if (!checked.ok) return checked;
  const { payload } = checked;
  return {
    ok: true,
    claims: {
      userId: subjectId(payload),
      scopes: payload.scopes as string[],
      issuedAt: new Date((payload.iat ?? 0) * 1000),
      expiresAt: new Date((payload.exp ?? 0) * 1000),
    },
  };
}

/**
 * Checks a refresh token like `verifyAccess` does, and that it carries a `jti`. An access token
 * here fails with `wrong_type`. Whether the `jti` is still usable is the repository's call.
 *
 * @example
 * ```ts
 * const result = await verifyRefresh(config, body.refresh_token);
 * if (result.ok) await refreshTokens.rotate(result.claims.jti, result.claims.userId, refreshExpiry(config));
 * ```
 */
export async function verifyRefresh(config: TokenConfig, token: string): Promise<Verified<RefreshClaims>> {
  const checked = await verifyKind(config, token, "refresh");
  if (!checked.ok) return checked;
  const { payload } = checked;
  if (typeof payload.jti !== "string" || payload.jti === "") return fail("invalid");
  return {
    ok: true,
    claims: {
      userId: subjectId(payload),
      jti: payload.jti,
      scopes: payload.scopes as string[],
      expiresAt: new Date((payload.exp ?? 0) * 1000),
    },
  };
}

async function verifyKind(
  config: TokenConfig,
  token: string,
  kind: TokenKind,
): Promise<{ ok: true; payload: JWTPayload } | { ok: false; error: TokenError }> {
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return fail("invalid");
  let payload: JWTPayload;
  let typ: string | undefined;
  try {
    const verified = await jwtVerify(token, await signingKey(config), {
      // Only the configured algorithm is accepted: pinning defeats `alg: none` and algorithm confusion.
      algorithms: [config.algorithm],
      issuer: config.issuer,
      audience: config.audience,
      requiredClaims: ["exp", "iat", "sub", "token_type"],
      clockTolerance: config.clockToleranceSeconds ?? 0,
    });
    payload = verified.payload;
    typ = verified.protectedHeader.typ;
  } catch (error) {
    if (error instanceof errors.JWTExpired) return fail("expired");
    if (error instanceof errors.JOSEError) return fail("invalid");
    throw error;
  }
  const other: TokenKind = kind === "access" ? "refresh" : "access";
  if (typ === TYP[other] && payload.token_type === other) return fail("wrong_type");
  if (typ !== TYP[kind] || payload.token_type !== kind) return fail("invalid");
  if (!isUserId(payload.sub) || !isStringArray(payload.scopes)) return fail("invalid");
  return { ok: true, payload };
}

/** A `sub` is a string (RFC 7519 §4.1.2) naming a row of `users`: a decimal id that fits its column. */
function isUserId(sub: unknown): sub is string {
  return typeof sub === "string" && /^[1-9]\d{0,9}$/.test(sub) && fitsInteger(Number(sub));
}

function subjectId(payload: JWTPayload): number {
  return Number(payload.sub);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

function fail(reason: TokenFailure): { ok: false; error: TokenError } {
  return { ok: false, error: new TokenError(reason) };
}
