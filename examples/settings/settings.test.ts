import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { SettingsError } from "velox/settings";
import { loadShopSettings } from "./settings.ts";

const run = promisify(execFile);
const main = fileURLToPath(new URL("./main.ts", import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const dir = mkdtempSync(join(tmpdir(), "velox-example-settings-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const secret = "x".repeat(40);
const cleanEnv = { PATH: process.env.PATH ?? "" };

describe("examples/settings", () => {
  it("loads typed, coerced settings", () => {
    const settings = loadShopSettings({
      envFile: false,
      env: {
        SHOP_PORT: "9000",
        SHOP_DEBUG: "on",
        SHOP_DATABASE_URL: "postgres://shop@127.0.0.1/shop",
        SHOP_JWT_SECRET: secret,
        SHOP_ALLOWED_ORIGINS: "https://a.example,https://b.example",
        SHOP_RATE_LIMIT: '{"rps":5,"burst":10}',
      },
    });
    expect(settings).toMatchObject({ host: "127.0.0.1", port: 9000, debug: true, rate_limit: { rps: 5, burst: 10 } });
    expect(settings.allowed_origins).toEqual(["https://a.example", "https://b.example"]);
  });

  it("lists every problem at once, without the values", () => {
    const attempt = () =>
      loadShopSettings({ envFile: false, env: { SHOP_PORT: "0", SHOP_JWT_SECRET: "too-short-secret", SHOP_ALLOWED_ORIGINS: "nope" } });
    expect(attempt).toThrow(SettingsError);
    expect(attempt).toThrow(/SHOP_PORT: .*\n.*SHOP_DATABASE_URL: missing\n.*SHOP_JWT_SECRET: .*\n.*SHOP_ALLOWED_ORIGINS: /);
    expect(attempt).not.toThrow(/too-short-secret/);
  });

  it("runs: exits 1 listing the missing variables, then starts from a .env file", async () => {
    const failed = await run(process.execPath, ["--conditions=velox-source", "--import", tsx, main], { cwd: dir, env: cleanEnv }).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 1 });
    const stderr = (failed as { stderr: string }).stderr;
    expect(stderr).toContain("Invalid settings (2 problems):");
    expect(stderr).toContain("SHOP_DATABASE_URL: missing");
    expect(stderr).toContain("SHOP_JWT_SECRET: missing");

    writeFileSync(join(dir, ".env"), `SHOP_DATABASE_URL=postgres://shop@127.0.0.1/shop\nSHOP_JWT_SECRET=${secret}\nSHOP_PORT=8100\n`);
    const { stdout } = await run(process.execPath, ["--conditions=velox-source", "--import", tsx, main], { cwd: dir, env: { ...cleanEnv, SHOP_DEBUG: "yes" } });
    expect(stdout).toContain("shop on http://127.0.0.1:8100");
    expect(stdout).toContain("debug=true");
  });
});
