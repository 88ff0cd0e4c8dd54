import { SettingsError } from "velox/settings";
import { loadShopSettings } from "./settings.ts";

// Run: npx tsx --conditions=velox-source examples/settings/main.ts   (reads SHOP_* variables and ./.env)
try {
  const settings = loadShopSettings();
  console.log(`shop on http://${settings.host}:${settings.port}`);
  console.log(`debug=${settings.debug} origins=${settings.allowed_origins.join(",") || "(none)"} rps=${settings.rate_limit.rps}`);
} catch (error) {
  if (!(error instanceof SettingsError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
