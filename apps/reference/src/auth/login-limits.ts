import { OAuth2PasswordRequestForm, type Dependency } from "velox";
import { boundedKey, memoryStore, rateLimit, redisStore, type RateLimiter, type RateLimitStatus, type RateLimitStore } from "velox/ratelimit";
import type { AppSettings } from "../settings.ts";

/** The brute-force guard of `POST /auth/token`: one limiter per client address, one per username. */
export interface LoginLimits {
  /** Per client address (through the server's `trustProxy`), checked before the form is read. */
  readonly perAddress: RateLimiter;
  readonly perUsername: RateLimiter;
  /** `perUsername` as a dependency keyed by the submitted username. */
  readonly usernameDependency: Dependency<RateLimitStatus | null>;
  /** Closes the Redis connection when there is one. */
  close(): Promise<void>;
}

/** `Alice `, `alice` and `ＡＬＩＣＥ` are one account to an attacker: count them together. */
function usernameKey(username: string): string {
  return boundedKey(username.normalize("NFKC").trim().toLowerCase());
}

/**
 * The login limiters, in memory (each process counts alone) or in Redis when `REDIS_URL` is set
 * (every worker shares the counts). Limits, window and failure policy come from the settings
 * (`LOGIN_RATE_LIMIT_*`).
 *
 * @example
 * ```ts
 * const limits = loginLimits(settings);
 * router.post("/token", { hooks: limits.perAddress.hooks, dependencies: [limits.usernameDependency] }, login);
 * ```
 */
export function loginLimits(settings: AppSettings): LoginLimits {
  const { perAddress, perUsername, windowSeconds, failure } = settings.loginRateLimit;
  const store: RateLimitStore = settings.redisUrl === undefined ? memoryStore() : redisStore({ url: settings.redisUrl, prefix: `${settings.chatRedisPrefix}:rl:` });
  const windowMs = windowSeconds * 1000;
  const byAddress = rateLimit({ name: "login-address", limit: perAddress, windowMs, store, failure, detail: "Too many login attempts" });
  const byUsername = rateLimit({ name: "login-username", limit: perUsername, windowMs, store, failure, detail: "Too many login attempts" });
  return {
    perAddress: byAddress,
    perUsername: byUsername,
    usernameDependency: byUsername.keyed({ deps: { login: OAuth2PasswordRequestForm } }, ({ login }) => usernameKey(login.username)),
    close: () => byAddress.close(),
  };
}
