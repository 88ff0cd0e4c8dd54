import type { Logger } from "../logger.ts";
import type { AnySchema } from "../schema/types.ts";
import { Hub } from "./hub.ts";
import { RedisHubAdapter, type RedisHubAdapterOptions } from "./redis-adapter.ts";

/**
 * The hub an app should use where it runs: over Redis when `REDIS_URL` (or `url`) is set — so
 * several workers and instances share rooms and presence — and in memory otherwise (one process,
 * the embedded default).
 *
 * @example
 * ```ts
 * const hub = hubFromEnv({ logger: app.logger, prefix: "chat" });
 * app.addHook("onClose", () => hub.close());
 * ```
 */
export function hubFromEnv(options: Omit<RedisHubAdapterOptions, "url"> & { url?: string; message?: AnySchema; logger?: Logger } = {}): Hub {
  const url = options.url ?? process.env.REDIS_URL;
  const { message, ...adapterOptions } = options;
  const logger = options.logger;
  if (!url) return new Hub({ ...(message ? { message } : {}), ...(logger ? { logger } : {}) });
  return new Hub({ adapter: new RedisHubAdapter({ ...adapterOptions, url }), ...(message ? { message } : {}), ...(logger ? { logger } : {}) });
}
