/** `npm run bench -- --instructions`: instructions per request of each server, counted by callgrind. */
import type { BenchArgs } from "../args.ts";
import { describeMachine } from "../machine.ts";
import { bunPath, type ServerDef } from "../registry.ts";
import { selectServers } from "../select.ts";
import type { RunningServer } from "../server-process.ts";
import { startAndCheck } from "../start-and-check.ts";
import { BASELINE } from "../summary.ts";
import { firstLine } from "../which.ts";
import { WORKLOADS } from "../workloads.ts";
import { writeResults } from "../write-results.ts";
import { int } from "../report/format.ts";
import { measureCell, type CellResult, type CellSettings } from "./measure-cell.ts";
import { runPooled } from "./pool.ts";
import { cellDetails, halvesSpreadPct, instructionsMarkdown, instructionsTable, type InstructionsReport } from "./report.ts";
import { callgrindMissing } from "./under-callgrind.ts";
import { warmupRequests } from "./warm-up.ts";

/** valgrind runs one thread of a process at a time, so two cells keep the two cores busy. */
const CELLS_AT_ONCE = 2;
const CONNECTIONS = 4;
/** Halves further apart than this make a figure uncertain enough to say so in the notes. */
const UNSTEADY_PCT = 2;

const WHAT_IT_COUNTS =
  "Instructions per request count the user-space instructions of the server process only (every thread: JIT compilers, " +
  "garbage collector, libuv), from the first measured request to the last answer, divided by the requests. They do not see " +
  "kernel time (syscalls, TCP), cache misses, branch mispredictions or waiting, and instructions are not equally fast " +
  "(CPython's interpreter and V8's compiled code run at different instructions per cycle), so they complement req/s and do " +
  "not replace it. Their use: the same figure to about 1 % run after run (Node and Python; Bun 2–4 %) whatever else the machine does, so small hot-path changes show.";

function describeCell(c: CellResult): string {
  if (c.perRequest === null || c.halves === null) return `FAILED (${Math.round(c.seconds)} s): ${c.error}`;
  return `${int(c.perRequest)} instructions/request (halves ${int(c.halves[0])} / ${int(c.halves[1])}, ${Math.round(c.seconds)} s)`;
}

/**
 * Runs the instructions mode for the servers and workloads the flags select; 0 when every cell
 * was measured, 1 otherwise. `track` sees every server started, so an interrupt can stop them.
 *
 * @example
 * ```ts
 * process.exitCode = await runInstructions(parseArgs(["--instructions", "--only", "raw,velox"]), () => {}, console.log);
 * ```
 */
export async function runInstructions(args: BenchArgs, track: (s: RunningServer) => void, log: (line: string) => void): Promise<number> {
  const missing = callgrindMissing();
  if (missing) {
    console.error(`--instructions needs callgrind: ${missing}`);
    return 1;
  }
  const { servers: defs, skipped } = selectServers(args.only);
  const notes = skipped.map((s) => `${s.name} not run: ${s.reason}.`);
  notes.forEach((n) => log(`note: ${n}`));
  // Only servers that do the contract's work are counted, as in the timed mode (checked without valgrind).
  const { passed, failures, deviations } = await startAndCheck(defs, { core: null }, track);
  await Promise.all(passed.map((s) => s.stop()));
  failures.forEach((f) => console.error(f));
  for (const d of deviations) notes.push(`Known contract deviation, not on a measured path: ${d}.`);
  if (!passed.length) return 1;

  const settings = { requests: args.requests, connections: CONNECTIONS };
  const cellSettings = (def: ServerDef): CellSettings => ({ ...settings, warmupRequests: warmupRequests(def, args.warmupRequests) });
  const servers = passed.map((s) => s.def);
  const workloads = WORKLOADS.filter((w) => args.workloads.includes(w.name));
  const plan = workloads.flatMap((w) => servers.map((def) => ({ def, w })));
  const date = new Date().toISOString();
  log(`Counting instructions of ${servers.map((s) => s.name).join(", ")} on ${workloads.map((w) => w.name).join(", ")}: ` +
    `${plan.length} cells, ${CELLS_AT_ONCE} at a time, ${args.warmupRequests === null ? "the default warm-up" : `${int(args.warmupRequests)} warm-up`} + ${int(settings.requests)} measured requests each…`);
  const cells = await runPooled(plan, CELLS_AT_ONCE, async ({ def, w }) => {
    log(`[${w.name}] ${def.name}: starting under callgrind`);
    const cell = await measureCell(def, w, cellSettings(def), track);
    log(`[${w.name}] ${def.name}: ${describeCell(cell)}`);
    return cell;
  });

  notes.push(WHAT_IT_COUNTS);
  notes.push("Warm-up runs uninstrumented, on fresh connections every 1,000 requests (V8 otherwise specializes node's socket handling on the first few and re-optimizes when new ones come); the measured requests reuse the last warm-up connections. " +
    "Node needs about 10,000 warm-up requests under valgrind before V8's optimizing compiler is done with the hot path (after 3,000, raw's GET /json still counted 69.5k instead of 60.7k, its halves 75.7k and 63.4k); Elysia on Bun needs about 30,000, Velox on Bun about 100,000.");
  if (!servers.some((s) => s.name === BASELINE)) notes.push("raw node:http did not run, so there are no ratios.");
  const unsteady = cells.filter((c) => c.halves && halvesSpreadPct(c.halves) > UNSTEADY_PCT);
  for (const c of unsteady) notes.push(`${c.server} ${c.workload}: the two halves differ by ${halvesSpreadPct(c.halves!).toFixed(1)} %, so the figure is about that uncertain (too short a warm-up, or garbage collection and compilation that do not average out; Bun's stay at 2–4 %).`);
  const failed = cells.filter((c) => c.error !== null);
  for (const c of failed) notes.push(`${c.server} ${c.workload} failed: ${c.error!.split("\n")[0]}`);

  const report: InstructionsReport = {
    date, settings, machine: describeMachine(bunPath()), valgrind: firstLine("valgrind", ["--version"]) ?? "valgrind",
    servers, workloads: workloads.map((w) => w.name), cells, notes,
  };
  const dir = writeResults(date, {
    "instructions.md": instructionsMarkdown(report),
    "instructions.json": JSON.stringify({ ...report, servers: servers.map((s) => s.name) }, null, 2),
  });
  log(`\n${instructionsTable(report)}\n\n${cellDetails(report)}\n`);
  notes.forEach((n) => log(`note: ${n}`));
  log(`Results: ${dir}`);
  return failures.length || failed.length ? 1 : 0;
}
