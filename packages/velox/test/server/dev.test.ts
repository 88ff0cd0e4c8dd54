/** `velox dev`: one process on 127.0.0.1, restarted when a module it imported changes. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { sleep } from "./helpers/load.ts";
import { send } from "./helpers/raw.ts";
import { killAll, VeloxProcess } from "./helpers/velox-process.ts";

const core = fileURLToPath(new URL("../../src/index.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "velox-dev-"));

function writeApp(version: string): void {
  writeFileSync(join(dir, "message.ts"), `export const message: string = ${JSON.stringify(version)};\n`);
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function bodyOf(url: string, timeoutMs: number, expected: string): Promise<string> {
  const end = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < end) {
    last = await send(url).then((r) => r.body, () => "");
    if (last.includes(expected)) return last;
    await sleep(150);
  }
  return last;
}

afterAll(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

describe("velox dev", () => {
  it("serves on 127.0.0.1, reloads on change, and prints request errors readably", { timeout: 90_000 }, async () => {
    writeFileSync(join(dir, "package.json"), '{"type":"module"}\n');
    writeApp("v1");
    writeFileSync(
      join(dir, "main.ts"),
      [
        `import { Velox } from ${JSON.stringify(core)};`,
        `import { message } from "./message.ts";`,
        `export const app = new Velox();`,
        `app.get("/", {}, () => ({ message }));`,
        `app.get("/fail", {}, () => { throw new Error("dev failure on purpose"); });`,
        "",
      ].join("\n"),
    );
    const port = await freePort();
    const p = new VeloxProcess(["dev", "main.ts", "--port", String(port)], {}, dir);
    const url = `http://127.0.0.1:${port}`;
    expect(await bodyOf(`${url}/`, 45_000, "v1")).toContain("v1");

    writeApp("v2");
    expect(await bodyOf(`${url}/`, 45_000, "v2")).toContain("v2");

    expect((await send(`${url}/fail`)).status).toBe(500);
    await sleep(300);
    const output = p.output.join("\n");
    expect(output).toMatch(/ERROR\s+/);
    expect(output).toContain("Error: dev failure on purpose");
    expect(output).toMatch(/\n\s+at .*main\.ts/);
    // An access line per request, in one short line (velox dev adds velox/logging's access log).
    expect(output).toMatch(/^\d\d:\d\d:\d\d\.\d{3} GET \/fail 500 [\d.]+ms \d+B [0-9a-f-]{36}$/m);
    expect(output).toMatch(/^\d\d:\d\d:\d\d\.\d{3} GET \/ 200 [\d.]+ms \d+B /m);

    p.signal("SIGTERM");
    const exit = await p.exited;
    expect(exit.code === 0 || exit.code === 143 || exit.signal === "SIGTERM").toBe(true);
  });
});
