/** The `velox` command's argument handling and failure modes, as real processes. */
import { createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { send } from "./helpers/raw.ts";
import { killAll, VeloxProcess } from "./helpers/velox-process.ts";

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const TIMEOUT = { timeout: 60_000 };

afterAll(() => killAll());

describe("velox CLI", () => {
  it("prints help and exits 0; rejects unknown flags with exit 2", TIMEOUT, async () => {
    const help = new VeloxProcess(["--help"]);
    expect((await help.exited).code).toBe(0);
    expect(help.output.join("\n")).toContain("velox run <module[:export]>");
    const bad = new VeloxProcess(["run", fixture("app.ts"), "--no-such-flag"]);
    expect((await bad.exited).code).toBe(2);
    const badNumber = new VeloxProcess(["run", fixture("app.ts"), "--workers", "two"]);
    expect((await badNumber.exited).code).toBe(2);
    expect(badNumber.output.join("\n")).toContain("--workers must be a non-negative integer");
  });

  it("serves a named export with module:export", TIMEOUT, async () => {
    const p = new VeloxProcess(["run", `${fixture("named.ts")}:api`, "--workers", "0", "--port", "0"]);
    const url = await p.url(45_000);
    expect(JSON.parse((await send(`${url}/name`)).body)).toEqual({ name: "api" });
    p.signal("SIGTERM");
    expect((await p.exited).code).toBe(0);
  });

  it("exits 1 naming the problem when the module has no app", TIMEOUT, async () => {
    const p = new VeloxProcess(["run", fixture("no-app.ts"), "--workers", "0", "--port", "0"]);
    expect((await p.exited).code).toBe(1);
    expect(p.logs.some((l) => String(l.msg).includes("has no Velox app"))).toBe(true);
  });

  it("exits 3 when workers cannot boot, without restarting them forever", TIMEOUT, async () => {
    const p = new VeloxProcess(["run", fixture("throws.ts"), "--workers", "1", "--port", "0"]);
    const exit = await p.exited;
    expect(exit.code).toBe(3);
    expect(p.output.join("\n")).toContain("fixture: broken module");
    expect(p.count("a worker failed to boot, stopping")).toBe(1);
  });

  it("fails fast when the port is taken", TIMEOUT, async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    const p = new VeloxProcess(["run", fixture("app.ts"), "--workers", "2", "--port", String(port)]);
    expect((await p.exited).code).toBe(1);
    expect(p.output.join("\n")).toContain("already in use");
    blocker.close();
  });
});
