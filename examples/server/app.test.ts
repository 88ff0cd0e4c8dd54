import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("./main.ts", import.meta.url));
// The example as it runs in production: a primary and one worker, in a real process.
const child = spawn(process.execPath, ["--conditions=velox-source", "--import", "tsx", main], {
  env: { ...process.env, PORT: "0", WORKERS: "1" },
  stdio: ["ignore", "pipe", "pipe"],
});
let output = "";
child.stdout.on("data", (c: Buffer) => (output += c.toString()));
child.stderr.on("data", (c: Buffer) => (output += c.toString()));
const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

async function baseUrl(): Promise<string> {
  const end = Date.now() + 45_000;
  while (Date.now() < end) {
    const match = /"msg":"velox listening on (http:\/\/[^"]+)"/.exec(output);
    if (match) return match[1]!;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server did not start:\n${output}`);
}

afterAll(() => {
  if (child.exitCode === null) child.kill("SIGKILL");
});

describe("server example", () => {
  it("serves with probes and proxy awareness, then shuts down gracefully on SIGTERM", { timeout: 90_000 }, async () => {
    const url = await baseUrl();
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", checks: { db: { status: "ok" } } });
    const who = await fetch(`${url}/whoami`, { headers: { "x-forwarded-for": "198.51.100.7", "x-forwarded-proto": "https" } });
    expect(await who.json()).toEqual({ ip: "198.51.100.7", protocol: "https" });
    const report = await fetch(`${url}/reports`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"name":"q3"}' });
    expect(report.status).toBe(202);

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    // The background task finished before the worker exited.
    expect(output).toContain("report q3 written");
  });
});
