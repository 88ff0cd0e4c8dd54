import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type } from "arktype";
import * as v from "valibot";
import { toStandardJsonSchema } from "@valibot/to-json-schema";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineSettings, SettingsError } from "./index.ts";

const dir = mkdtempSync(join(tmpdir(), "velox-settings-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function settingsError(run: () => unknown): SettingsError {
  try {
    run();
  } catch (error) {
    if (error instanceof SettingsError) return error;
    throw error;
  }
  throw new Error("expected a SettingsError");
}

describe("defineSettings with a record of field schemas", () => {
  const shape = {
    port: z.int().min(1).max(65535).default(8000),
    ratio: z.number().default(0.5),
    debug: z.boolean().default(false),
    hosts: z.array(z.string()).default([]),
    ports: z.array(z.int()).default([]),
    limits: z.object({ rps: z.int() }).optional(),
    jwt_secret: z.string().min(32),
    database_url: z.string().optional(),
  };
  const secret = "s".repeat(40);

  it("coerces each variable from its field's JSON type", () => {
    const settings = defineSettings(shape, {
      envFile: false,
      env: {
        PORT: "9000",
        RATIO: "0.75",
        DEBUG: "yes",
        HOSTS: "a.example, b.example",
        PORTS: "1,2",
        LIMITS: '{"rps":10}',
        JWT_SECRET: secret,
      },
    });
    expect(settings).toEqual({
      port: 9000,
      ratio: 0.75,
      debug: true,
      hosts: ["a.example", "b.example"],
      ports: [1, 2],
      limits: { rps: 10 },
      jwt_secret: secret,
      database_url: undefined,
    });
    expect(Object.isFrozen(settings)).toBe(true);
  });

  it("applies defaults when variables are absent or empty", () => {
    const settings = defineSettings(shape, { envFile: false, env: { JWT_SECRET: secret, PORT: "" } });
    expect(settings.port).toBe(8000);
    expect(settings.debug).toBe(false);
    expect(settings.hosts).toEqual([]);
  });

  it("reads prefixed names", () => {
    const settings = defineSettings(shape, { envFile: false, prefix: "APP_", env: { APP_JWT_SECRET: secret, JWT_SECRET: "x", APP_PORT: "81" } });
    expect(settings.jwt_secret).toBe(secret);
    expect(settings.port).toBe(81);
  });

  it("reports every missing or invalid variable in one error, never the values", () => {
    const leaked = "hunter2-but-too-short";
    const error = settingsError(() =>
      defineSettings(shape, {
        envFile: false,
        env: { PORT: "eighty", DEBUG: "perhaps", PORTS: "1,two", LIMITS: "{}", JWT_SECRET: leaked, RATIO: "70000" },
      }),
    );
    expect(error.issues.map((issue) => issue.variable)).toEqual(["PORT", "DEBUG", "PORTS", "LIMITS", "JWT_SECRET"]);
    expect(error.issues[0]).toEqual({ variable: "PORT", field: "port", problem: "expected an integer" });
    expect(error.issues[2]?.problem).toBe("item 2: expected an integer");
    expect(error.issues[3]?.problem).toMatch(/^rps: /);
    expect(error.message).toMatch(/^Invalid settings \(5 problems\):\n {2}- PORT: expected an integer\n/);
    expect(error.message).not.toContain(leaked);
    expect(error.message).not.toContain("perhaps");
  });

  it("says 'missing' for an absent required variable and 'empty' for a blank one", () => {
    const error = settingsError(() => defineSettings({ jwt_secret: z.string(), port: z.int() }, { envFile: false, env: { PORT: " " } }));
    expect(error.issues).toEqual([
      { variable: "JWT_SECRET", field: "jwt_secret", problem: "missing" },
      { variable: "PORT", field: "port", problem: "empty" },
    ]);
  });

  it("redacts a value a validator echoes in its message", () => {
    const echo = z.string().refine((value) => value.startsWith("sk_"), { error: (issue) => `bad key ${String(issue.input)}` });
    const error = settingsError(() => defineSettings({ api_key: echo }, { envFile: false, env: { API_KEY: "pk_live_123456" } }));
    expect(error.message).toContain("API_KEY: bad key <redacted>");
    expect(error.message).not.toContain("pk_live_123456");
  });
});

describe("defineSettings with one object schema", () => {
  it("takes field names and types from Zod's JSON Schema", () => {
    const Settings = z.object({ port: z.int().default(8000), debug: z.boolean().default(false), name: z.string() });
    const settings = defineSettings(Settings, { envFile: false, env: { PORT: "1234", DEBUG: "on", NAME: "api" } });
    expect(settings).toEqual({ port: 1234, debug: true, name: "api" });
  });

  it("lists coercion and validation problems together", () => {
    const Settings = z.object({ port: z.int(), name: z.string(), workers: z.int().min(1) });
    const error = settingsError(() => defineSettings(Settings, { envFile: false, env: { PORT: "x", WORKERS: "0" } }));
    expect(error.issues.map((issue) => [issue.variable, issue.problem.split(":")[0]])).toEqual([
      ["PORT", "expected an integer"],
      ["NAME", "missing"],
      ["WORKERS", "Too small"],
    ]);
  });

  it("reports whole-object rules under (settings)", () => {
    const Settings = z.object({ a: z.int(), b: z.int() }).refine((s) => s.a < s.b, "a must be below b");
    const error = settingsError(() => defineSettings(Settings, { envFile: false, env: { A: "2", B: "1" } }));
    expect(error.issues).toEqual([{ variable: "(settings)", field: "", problem: "a must be below b" }]);
  });

  it("works with ArkType and with Valibot through toStandardJsonSchema", () => {
    const ark = type({ port: "number.integer", "debug?": "boolean" });
    expect(defineSettings(ark, { envFile: false, env: { PORT: "5", DEBUG: "1" } })).toEqual({ port: 5, debug: true });
    const valibot = toStandardJsonSchema(v.object({ port: v.pipe(v.number(), v.integer()) }));
    expect(defineSettings(valibot, { envFile: false, env: { PORT: "6" } })).toEqual({ port: 6 });
  });

  it("refuses an object schema whose fields it cannot see", () => {
    const plain = v.object({ port: v.number() });
    expect(() => defineSettings(plain, { envFile: false, env: {} })).toThrow(/Standard JSON Schema/);
  });

  it("passes raw strings to field schemas that have no JSON Schema", () => {
    const settings = defineSettings({ port: v.pipe(v.string(), v.transform(Number)) }, { envFile: false, env: { PORT: "7" } });
    expect(settings.port).toBe(7);
  });

  it("refuses asynchronous schemas", () => {
    const slow = z.string().refine(async () => true);
    expect(() => defineSettings({ name: slow }, { envFile: false, env: { NAME: "x" } })).toThrow(/asynchronous/);
  });
});

describe("defineSettings with a .env file", () => {
  const file = join(dir, "app.env");
  writeFileSync(file, "# comment\nPORT=7000\nNAME=\"from file\"\nexport_IGNORED=1\n");
  const shape = { port: z.int(), name: z.string() };

  it("reads the file beneath the environment", () => {
    expect(defineSettings(shape, { envFile: file, env: {} })).toEqual({ port: 7000, name: "from file" });
    expect(defineSettings(shape, { envFile: file, env: { PORT: "7001" } })).toEqual({ port: 7001, name: "from file" });
  });

  it("ignores a missing file and reads none when disabled", () => {
    expect(defineSettings(shape, { envFile: join(dir, "absent.env"), env: { PORT: "1", NAME: "n" } }).port).toBe(1);
    expect(() => defineSettings(shape, { envFile: false, env: {} })).toThrow(SettingsError);
  });

  it("reads process.env and ./.env by default", () => {
    const cwd = process.cwd();
    const previous = process.env.VELOX_TEST_SETTING_NAME;
    writeFileSync(join(dir, ".env"), "VELOX_TEST_SETTING_PORT=3000\n");
    process.env.VELOX_TEST_SETTING_NAME = "env";
    try {
      process.chdir(dir);
      expect(defineSettings(shape, { prefix: "VELOX_TEST_SETTING_" })).toEqual({ port: 3000, name: "env" });
    } finally {
      process.chdir(cwd);
      if (previous === undefined) delete process.env.VELOX_TEST_SETTING_NAME;
      else process.env.VELOX_TEST_SETTING_NAME = previous;
    }
  });
});
