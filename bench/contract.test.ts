/**
 * Every Node contract server, and Velox on Bun, meets the benchmark contract
 * (bench/src/contract-cases.ts). No load is generated: this only proves that the servers timed by
 * `npm run bench` do the same work.
 */
import { afterAll, describe, expect, it } from "vitest";
import { removeCompiledServers } from "./src/compile-server.ts";
import { checkServer, type CheckReport } from "./src/contract-check.ts";
import { KNOWN_DEVIATIONS } from "./src/deviations.ts";
import { freePort } from "./src/free-port.ts";
import { SERVERS, type ServerDef } from "./src/registry.ts";
import { startServer } from "./src/server-process.ts";

async function check(def: ServerDef): Promise<CheckReport> {
  const srv = await startServer(def, await freePort(), { core: null });
  try {
    return await checkServer(srv.url, def.name);
  } finally {
    await srv.stop();
  }
}

describe("benchmark contract", () => {
  afterAll(removeCompiledServers);
  for (const def of SERVERS.filter((s) => s.node || s.name === "velox-bun")) {
    const why = def.unavailable();
    if (why && def.name === "velox-bun" && process.env.VELOX_REQUIRE_SERVICES === "1") throw new Error(`velox-bun cannot run: ${why}`);
    if (why) {
      it.skip(`${def.name} — skipped: ${why}`, () => {});
      continue;
    }
    it.concurrent(`${def.name} answers every contract case like FastAPI would`, async () => {
      const report = await check(def);
      const wrong = report.results.filter((r) => r.problem !== null && !r.waived).map((r) => `${r.name}: ${r.problem}`);
      expect(wrong).toEqual([]);
      // A known deviation that no longer happens must leave deviations.ts, so the contract is whole again.
      const fixed = Object.keys(KNOWN_DEVIATIONS[def.name] ?? {}).filter((name) => !report.results.find((r) => r.name === name)?.waived);
      expect(fixed, "fixed: delete these entries from bench/src/deviations.ts").toEqual([]);
    });
  }
});
