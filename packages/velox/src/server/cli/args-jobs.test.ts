import { describe, expect, it } from "vitest";
import { parseCommand } from "./args.ts";

describe("parseCommand for velox/jobs", () => {
  it("parses velox worker with its flags", () => {
    expect(parseCommand(["worker", "src/jobs.ts", "--only", "mail.welcome, mail.reset", "--lease", "5000", "--poll", "100", "--shutdown-timeout", "9000"], {})).toEqual({
      command: "worker",
      module: "src/jobs.ts",
      worker: { only: ["mail.welcome", "mail.reset"], leaseMs: 5000, pollMs: 100, shutdownTimeoutMs: 9000 },
    });
    expect(parseCommand(["worker", "src/app.ts:app"], {})).toEqual({ command: "worker", module: "src/app.ts:app", worker: {} });
  });

  it("parses velox run --jobs", () => {
    expect(parseCommand(["run", "m.ts", "--jobs"], {})).toMatchObject({ command: "run", jobs: true });
  });

  it("parses velox jobs failed and retry", () => {
    expect(parseCommand(["jobs", "failed", "m.ts", "--name", "mail.welcome", "--limit", "5"], {})).toEqual({ command: "jobs", action: "failed", module: "m.ts", ids: [], name: "mail.welcome", limit: 5 });
    expect(parseCommand(["jobs", "retry", "m.ts", "12", "13"], {})).toMatchObject({ action: "retry", ids: ["12", "13"] });
  });

  it("refuses malformed job commands with a usage error", () => {
    expect(() => parseCommand(["jobs"], {})).toThrow(/"failed" or "retry"/);
    expect(() => parseCommand(["jobs", "purge", "m.ts"], {})).toThrow(/"failed" or "retry", got "purge"/);
    expect(() => parseCommand(["jobs", "retry", "m.ts"], {})).toThrow(/at least one job id/);
    expect(() => parseCommand(["jobs", "failed"], {})).toThrow(/needs a module/);
    expect(() => parseCommand(["worker"], {})).toThrow(/needs a module/);
    expect(() => parseCommand(["worker", "m.ts", "--lease", "soon"], {})).toThrow(/--lease must be a non-negative integer/);
  });
});
