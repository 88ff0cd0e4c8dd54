import { defineSettings, type SettingsOptions } from "velox/settings";
import { z } from "zod";

/** Every setting of the example shop, read from variables named SHOP_<FIELD>. */
export const shopSettings = {
  host: z.string().default("127.0.0.1"),
  port: z.int().min(1).max(65535).default(8000),
  debug: z.boolean().default(false),
  database_url: z.url(),
  jwt_secret: z.string().min(32),
  allowed_origins: z.array(z.url()).default([]),
  rate_limit: z.object({ rps: z.int().positive(), burst: z.int().positive() }).default({ rps: 10, burst: 20 }),
};

/**
 * Loads the shop's settings from the environment and ./.env.
 *
 * @example
 * ```ts
 * const settings = loadShopSettings();
 * settings.port; // number
 * ```
 */
export function loadShopSettings(options: SettingsOptions = {}) {
  return defineSettings(shopSettings, { prefix: "SHOP_", ...options });
}
