import { describe, expect, it } from "vitest";
import { ServeError } from "../serve-error.ts";
import { parseCommand, parseTrustProxy } from "./args.ts";

describe("parseCommand", () => {
  it("maps run flags to serve options", () => {
    const cmd = parseCommand(["run", "src/main.ts", "--host", "0.0.0.0", "--port", "9000", "--workers", "3", "--max-requests", "5000", "--limit-concurrency", "100", "--trust-proxy", "1", "--no-ready"], {});
    expect(cmd).toEqual({
      command: "run",
      module: "src/main.ts",
      dev: false,
      jobs: false,
      options: { host: "0.0.0.0", port: 9000, workers: 3, maxRequestsPerWorker: 5000, limitConcurrency: 100, trustProxy: 1, readyPath: false },
    });
  });

  it("reads PORT and WEB_CONCURRENCY when the flags are absent", () => {
    expect(parseCommand(["run", "m.ts"], { PORT: "7000", WEB_CONCURRENCY: "2" })).toMatchObject({ options: { port: 7000, workers: 2 } });
    expect(parseCommand(["run", "m.ts", "--port", "1"], { PORT: "7000" })).toMatchObject({ options: { port: 1 } });
  });

  it("defaults dev to 127.0.0.1:8000", () => {
    expect(parseCommand(["dev", "m.ts"], {})).toEqual({ command: "dev", module: "m.ts", host: "127.0.0.1", port: 8000 });
  });

  it("answers help and version", () => {
    expect(parseCommand([], {})).toEqual({ command: "help" });
    expect(parseCommand(["run", "--help"], {})).toEqual({ command: "help" });
    expect(parseCommand(["-v"], {})).toEqual({ command: "version" });
  });

  it("rejects what it cannot run", () => {
    expect(() => parseCommand(["serve", "m.ts"], {})).toThrow(ServeError);
    expect(() => parseCommand(["run"], {})).toThrow(/needs a module/);
    expect(() => parseCommand(["run", "m.ts", "--workers", "1x"], {})).toThrow(/non-negative integer/);
    expect(() => parseCommand(["run", "m.ts", "--bogus"], {})).toThrow(ServeError);
    expect(() => parseCommand(["run", "a.ts", "b.ts"], {})).toThrow(/unexpected argument/);
  });
});

describe("parseTrustProxy", () => {
  it("reads booleans, hop counts and address lists", () => {
    expect(parseTrustProxy("true")).toBe(true);
    expect(parseTrustProxy("false")).toBe(false);
    expect(parseTrustProxy("2")).toBe(2);
    expect(parseTrustProxy("loopback, 10.0.0.0/8")).toEqual(["loopback", "10.0.0.0/8"]);
  });
});

describe("velox openapi", () => {
  it("parses the module and an optional output file", () => {
    expect(parseCommand(["openapi", "src/main.ts"], {})).toEqual({ command: "openapi", module: "src/main.ts", out: undefined });
    expect(parseCommand(["openapi", "src/main.ts:app", "--out", "openapi.json"], {})).toEqual({ command: "openapi", module: "src/main.ts:app", out: "openapi.json" });
  });
});
