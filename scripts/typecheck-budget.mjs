#!/usr/bin/env node
// Generates an app with N typed routes (path, query, headers, body, response model, dependencies)
// and times `tsc --noEmit` on it: the editor/CI cost of Velox's type inference.
// Usage: node scripts/typecheck-budget.mjs [routes=200] [--report]
// With --report (what `npm test` runs) the time is printed, not asserted: a loaded machine must
// not fail the tests; without it, going over the budget exits 1.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "bench", "typecheck");
const report = process.argv.includes("--report");
const routes = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 200);
mkdirSync(out, { recursive: true });

const lines = [
  'import { z } from "zod";',
  'import { Velox, Router, depends } from "velox";',
  "export const app = new Velox();",
  'const db = depends(async function* () { yield { get: (id: number) => ({ id, name: "n" + id }) }; });',
  'const user = depends({ deps: { db }, headers: { authorization: z.string() } }, ({ db, headers }) => ({ ...db.get(1), token: headers.authorization }));',
];
for (let i = 0; i < routes; i++) {
  lines.push(
    `const Model${i} = z.object({ id: z.int(), name: z.string().min(1), price${i}: z.number().positive(), tags: z.array(z.string()).max(5), nested: z.object({ a: z.boolean(), b: z.enum(["x", "y"]) }) });`,
    `const ModelIn${i} = z.object({ name: z.string().min(1), price${i}: z.number().positive(), tags: z.array(z.string()).max(5), nested: z.object({ a: z.boolean(), b: z.enum(["x", "y"]) }) });`,
    `const r${i} = new Router({ prefix: "/r${i}" });`,
    `r${i}.post("/items/{id}", { path: { id: z.int() }, query: { q: z.string().optional(), n${i}: z.int().default(1) }, headers: { x_trace: z.string().optional() }, body: ModelIn${i}, response: Model${i}, deps: { user, db } }, ({ path, query, body, user, db }) => ({ id: path.id + query.n${i} + db.get(user.id).id, ...body }));`,
    `app.include(r${i});`,
  );
}
const file = join(out, "app.ts");
writeFileSync(file, lines.join("\n") + "\n");
writeFileSync(join(out, "tsconfig.json"), JSON.stringify({ extends: "../../tsconfig.base.json", include: ["app.ts"] }, null, 2));
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
// tsc's own CPU time, printed by the child as it exits: on a shared machine the wall time also
// counts the other processes, the CPU time does not.
const cpuProbe = `data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("CPU_SECONDS "+(u.user+u.system)/1e6+"\\n")})`;
const start = performance.now();
const child = spawnSync(process.execPath, ["--import", cpuProbe, tsc, "--noEmit", "-p", join(out, "tsconfig.json"), "--extendedDiagnostics"], { encoding: "utf8" });
const seconds = (performance.now() - start) / 1000;
if (child.status !== 0) {
  process.stdout.write(child.stdout);
  process.stderr.write(child.stderr);
  console.error(`type-check budget: tsc failed (exit ${child.status ?? child.signal})`);
  process.exit(1);
}
child.stdout
  .split("\n")
  .filter((l) => /^(Types|Instantiations|Memory used|Check time|Total time)/.test(l))
  .forEach((l) => console.log(l));
const cpu = Number(/CPU_SECONDS (\S+)/.exec(child.stderr)?.[1] ?? NaN);
console.log(
  `type-check budget: ${routes} routes, tsc --noEmit took ${seconds.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU (budget 10 s${report ? ", reported, not asserted" : ""})`,
);
if (!report) process.exitCode = seconds < 10 ? 0 : 1;
