import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";

/** Debian's Chromium, driven by playwright-core (never a downloaded browser). */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Whether the browser tests can run: false (with a warning) when Chromium is missing, and an error
 * under `VELOX_REQUIRE_SERVICES=1`, so CI cannot skip them silently.
 *
 * @example
 * ```ts
 * describe.skipIf(!chromiumAvailable("the docs browser test"))("docs in a browser", () => { … });
 * ```
 */
export function chromiumAvailable(what: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.VELOX_REQUIRE_SERVICES === "1") throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  console.warn(`SKIPPED ${what}: ${CHROMIUM} is missing (apt-get install -y chromium)`);
  return false;
}

/**
 * Starts headless Chromium with the flags this machine needs.
 *
 * @example
 * ```ts
 * const browser = await launchChromium();
 * ```
 */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
}
