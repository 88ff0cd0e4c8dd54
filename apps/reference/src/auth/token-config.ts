import { webcrypto } from "node:crypto";

/** The HMAC algorithms `JWT_ALGORITHM` may pin (one per deployment; the others are refused). */
export const JWT_ALGORITHMS = ["HS256", "HS384", "HS512"] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** Keys and lifetimes for signing and checking the app's JWTs. */
export interface TokenConfig {
  /** The HMAC key: the UTF-8 bytes of `JWT_SECRET`. */
  readonly key: Uint8Array;
  /** The only algorithm signed and accepted (default HS256). */
  readonly algorithm: JwtAlgorithm;
  readonly issuer: string;
  readonly audience: string;
  readonly accessTtlSeconds: number;
  readonly refreshTtlSeconds: number;
  /** Leeway for clock skew between issuer and checker; 0 by default (one process signs and checks). */
  readonly clockToleranceSeconds?: number;
}

/**
 * Builds a `TokenConfig` from the `jwt` part of the app settings.
 *
 * @example
 * ```ts
 * const config = tokenConfig(loadSettings().jwt);
 * ```
 */
export function tokenConfig(jwt: {
  secret: string;
  issuer: string;
  audience: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  algorithm?: JwtAlgorithm;
}): TokenConfig {
  return Object.freeze({
    key: new TextEncoder().encode(jwt.secret),
    algorithm: jwt.algorithm ?? "HS256",
    issuer: jwt.issuer,
    audience: jwt.audience,
    accessTtlSeconds: jwt.accessTtlSeconds,
    refreshTtlSeconds: jwt.refreshTtlSeconds,
  });
}

const imported = new WeakMap<TokenConfig, Promise<webcrypto.CryptoKey>>();

/**
 * The HMAC key of a config as a WebCrypto `CryptoKey`, imported once per config: handing jose the
 * raw bytes makes it import the key again on every sign and verify, which costs as much as the
 * verification itself.
 *
 * @example
 * ```ts
 * await jwtVerify(token, await signingKey(config), { algorithms: ["HS256"] });
 * ```
 */
export function signingKey(config: TokenConfig): Promise<webcrypto.CryptoKey> {
  let key = imported.get(config);
  if (key === undefined) {
    key = webcrypto.subtle.importKey("raw", config.key, { name: "HMAC", hash: `SHA-${config.algorithm.slice(2)}` }, false, ["sign", "verify"]);
    imported.set(config, key);
  }
  return key;
}
