/** `npm run bench`: check every contract server, then time them side by side. */
import { loadavg } from "node:os";
import { parseArgs, USAGE, type BenchArgs } from "./args.ts";
import { pickTool } from "./load/index.ts";
import { runInstructions } from "./instructions/run.ts";
import { describeMachine } from "./machine.ts";
import { measure, type Settings } from "./measure.ts";
import { bunPath } from "./registry.ts";
import { checkMatrix } from "./report/check-matrix.ts";
import { barChart } from "./report/svg.ts";
import { detailTables, markdownReport, summaryTable, type ReportInput } from "./report/table.ts";
import { setAutogroupNice } from "./priority.ts";
import { selectServers } from "./select.ts";
import { serve } from "./serve.ts";
import type { RunningServer } from "./server-process.ts";
import { startAndCheck } from "./start-and-check.ts";
import { BASELINE, summarize } from "./summary.ts";
import { WORKLOADS } from "./workloads.ts";
import { writeResults } from "./write-results.ts";

const SERVER_CORE = 1;
const LOAD_CORE = 0;
const log = (line: string) => console.log(line);

async function run(args: BenchArgs, started: RunningServer[]): Promise<number> {
  const { servers: defs, skipped } = selectServers(args.only, args.workers);
  const notes = skipped.map((s) => `${s.name} not run: ${s.reason}.`);
  notes.forEach((n) => log(`note: ${n}`));
  const serverPlace = { core: args.pin ? SERVER_CORE : null, nice: args.nice };
  if (args.nice !== 0) {
    const group = setAutogroupNice(args.nice);
    notes.push(`Servers and ${args.tool ?? "the load generator"} ran at nice ${args.nice}${group ? " (process and scheduler autogroup)" : ""}.`);
  }
  const { passed, reports, failures, deviations } = await startAndCheck(defs, { ...serverPlace, workers: args.workers }, (s) => started.push(s));
  if (reports.length) log(`\nContract check:\n${checkMatrix(reports)}\n`);
  failures.forEach((f) => console.error(f));
  deviations.forEach((d) => log(`known deviation (still timed): ${d}`));
  for (const d of deviations) notes.push(`Known contract deviation, not on a timed path: ${d}.`);
  if (args.mode === "check") return failures.length ? 1 : 0;
  if (!passed.length) return 1;

  const tool = pickTool(args.tool);
  if (tool.name !== "wrk") notes.push("autocannon was used instead of wrk; it saturates sooner, so ratios are compressed.");
  if (!passed.some((s) => s.def.name === BASELINE)) notes.push("raw node:http did not run, so there are no ratios.");
  if (args.workers > 1) {
    notes.push(`Multi-worker table: ${args.workers} processes per server (node:cluster for Node servers, uvicorn --workers for FastAPI), nothing pinned, so the load generator shares the cores; RSS and CPU are summed over each server's processes.`);
  }
  notes.push("Node servers run as plain JavaScript compiled by esbuild into one file each, as apps are deployed (no loader at run time).");
  const settings: Settings = { runs: args.runs, seconds: args.seconds, warmup: args.warmup, connections: args.connections,
    server: serverPlace, load: { core: args.pin ? LOAD_CORE : null, nice: args.nice } };
  const workloads = WORKLOADS.filter((w) => args.workloads.includes(w.name));
  const date = new Date().toISOString();
  log(`Timing ${passed.map((s) => s.def.name).join(", ")} on ${workloads.map((w) => w.name).join(", ")} with ${tool.name}…`);
  const loadBefore = loadavg()[0]!;
  const cells = await measure(passed, workloads, settings, tool.run, log);
  // Server plus load generator keep about 2 cores busy; a higher load average means other processes competed.
  notes.push(`1-minute load average ${loadBefore.toFixed(2)} before the runs and ${loadavg()[0]!.toFixed(2)} after (the run itself keeps about 2 busy).`);
  const finalRss = Object.fromEntries(passed.map((s) => [s.def.name, s.rss()]));
  const summary = summarize(cells);
  const bad = summary.filter((c) => c.non2xx || c.errors);
  bad.forEach((c) => notes.push(`${c.server} ${c.workload}: ${c.non2xx} non-2xx responses and ${c.errors} socket errors — that figure is not valid.`));

  const report: ReportInput = {
    date, workers: args.workers, tool: tool.name, settings, machine: describeMachine(bunPath()), servers: passed.map((s) => s.def),
    workloads: workloads.map((w) => w.name), cells: summary, finalRss, notes,
  };
  const svg = barChart({
    title: args.workers > 1 ? `Median req/s, ${args.workers} workers per server, unpinned (${date.slice(0, 10)})` : `Median req/s, one server core (${date.slice(0, 10)})`,
    groups: workloads.map((w) => ({ key: w.name, label: w.label })),
    series: passed.map((s) => ({ key: s.def.name, label: s.def.label })),
    cells: summary,
  });
  const dir = writeResults(date, {
    "results.md": markdownReport(report),
    "chart.svg": svg,
    "results.json": JSON.stringify({ ...report, servers: report.servers.map((s) => s.name), raw: cells }, null, 2),
  });
  log(`\n${summaryTable(report)}\n\n${detailTables(report)}`);
  notes.forEach((n) => log(`note: ${n}`));
  log(`Results: ${dir}`);
  return failures.length || bad.length ? 1 : 0;
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  if (args.mode === "help") {
    log(USAGE);
    return 0;
  }
  if (args.mode === "serve") {
    try {
      return await serve(args.serve!, args.port, { core: args.pin ? SERVER_CORE : null, nice: args.nice });
    } catch (err) {
      console.error((err as Error).message);
      return 1;
    }
  }
  const started: RunningServer[] = [];
  const stopAll = () => Promise.all(started.map((s) => s.stop()));
  const onSignal = () => void stopAll().then(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    if (args.mode === "instructions") return await runInstructions(args, (s) => started.push(s), log);
    return await run(args, started);
  } catch (err) {
    console.error((err as Error).message);
    return 1;
  } finally {
    await stopAll();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
