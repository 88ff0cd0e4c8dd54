/**
 * How long one cluster scrape holds a worker's event loop: a forked worker (real IPC) with a full
 * HTTP series store (`maxSeries` label sets) answers the primary's `collect`, while a ticker in the
 * worker records the longest gap between its turns. Run: `npx tsx bench/observability/scrape-slices.ts [series]`.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { collectDefaultMetrics, Registry } from "prom-client";
import { httpCollectors } from "../../packages/velox/src/metrics/http-collectors.ts";
import { HttpSeries } from "../../packages/velox/src/metrics/http-series.ts";
import { sendSnapshot } from "../../packages/velox/src/metrics/cluster/worker-side.ts";

const SERIES = Number(process.argv[2] ?? 1000);

if (process.env.SLICE_CHILD === "1") {
  const series = new HttpSeries(SERIES);
  for (let i = 0; i < SERIES; i++) series.observe("GET", `/route/${i % 200}/{id}`, 200 + Math.floor(i / 200), 0.01 * (i % 40), 100, 1000);
  const registry = new Registry();
  for (const m of httpCollectors(series)) registry.registerMetric(m as never);
  collectDefaultMetrics({ register: registry });
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  let worst = 0;
  let worstCpu = 0;
  const tick = (): void => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    worst = Math.max(worst, now - last);
    worstCpu = Math.max(worstCpu, (cpu.user + cpu.system) / 1000);
    last = now;
    lastCpu = process.cpuUsage();
    setImmediate(tick);
  };
  process.on("message", async (message: { id: number }) => {
    const runs: number[] = [];
    const cpuRuns: number[] = [];
    for (let round = 0; round < 5; round++) {
      worst = 0;
      worstCpu = 0;
      last = performance.now();
      lastCpu = process.cpuUsage();
      const started = performance.now();
      let values = 0;
      await sendSnapshot([registry], message.id + round, (m) => {
        if (m.velox === "metrics:part") values += m.families.reduce((a, f) => a + f.values.length, 0) + (m.compact ?? []).reduce((a, c) => a + c.cells.length * (c.bounds.length + 3), 0);
        process.send!(m);
      });
      runs.push(worst);
      cpuRuns.push(worstCpu);
      if (round === 0) process.send!({ report: "values", values, ms: performance.now() - started });
    }
    process.send!({ report: "worst", runs, cpuRuns }, () => process.exit(0));
  });
  setImmediate(tick);
  process.send!({ ready: true });
} else {
  const child = fork(fileURLToPath(import.meta.url), [String(SERIES)], { env: { ...process.env, SLICE_CHILD: "1" }, execArgv: process.execArgv });
  child.on("message", (m: { ready?: boolean; report?: string; runs?: number[]; cpuRuns?: number[]; values?: number; ms?: number }) => {
    if (m.ready) child.send({ id: 1 });
    if (m.report === "values") console.log(`${SERIES} label sets: ${m.values} values (expanded) per snapshot, first snapshot ${m.ms!.toFixed(1)} ms end to end`);
    if (m.report === "worst") {
      console.log(`longest event-loop hold per scrape, wall clock (5 scrapes): ${m.runs!.map((r) => r.toFixed(2)).join(", ")} ms`);
      console.log(`longest event-loop hold per scrape, process CPU time:      ${m.cpuRuns!.map((r) => r.toFixed(2)).join(", ")} ms`);
    }
  });
}
