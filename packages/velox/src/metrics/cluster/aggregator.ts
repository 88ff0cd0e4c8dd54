import { AggregatorRegistry } from "prom-client";
import { expandCompact, type MetricFamily } from "../http-collectors.ts";
import { FINAL, type ToPrimary, type ToWorker } from "./protocol.ts";

/** What the cluster primary tells the aggregator about itself at scrape time. */
export interface ClusterStats {
  /** Workers alive now. */
  workers: number;
  /** Workers that exited without being asked to (crashes, kills). */
  restarts: number;
}

/** How one worker's snapshot was obtained for a scrape. */
export type WorkerState = "fresh" | "stale" | "missing";

/** The result of one cluster scrape. */
export interface ClusterScrape {
  text: string;
  contentType: string;
  /** Some worker's numbers are old or absent. */
  partial: boolean;
  states: Record<WorkerState, number>;
}

interface Entry {
  pid: number;
  /** The last complete snapshot. */
  latest: MetricFamily[] | null;
  /** Bumped per complete snapshot. */
  generation: number;
  /** Snapshots being received, by request id. */
  building: Map<number, MetricFamily[]>;
  waiters: Map<number, () => void>;
}

/** Counters and histograms only grow; their last values outlive the worker that counted them. */
const MONOTONIC = new Set(["counter", "histogram"]);

function merge(parts: MetricFamily[]): MetricFamily[] {
  const byName = new Map<string, MetricFamily>();
  for (const part of parts) {
    const known = byName.get(part.name);
    if (known === undefined) byName.set(part.name, { ...part, values: [...part.values] });
    else for (const v of part.values) known.values.push(v);
  }
  return [...byName.values()];
}

function valueKey(v: MetricFamily["values"][number]): string {
  const labels = Object.keys(v.labels).sort().map((k) => `${k}=${String(v.labels[k])}`);
  return `${v.metricName ?? ""}\u0000${labels.join("\u0000")}`;
}

/** `into` plus `add`, value by value (both of one counter or histogram family). */
function sumInto(into: MetricFamily, add: MetricFamily): MetricFamily {
  const values = new Map(into.values.map((v) => [valueKey(v), { ...v }]));
  for (const v of add.values) {
    const key = valueKey(v);
    const known = values.get(key);
    if (known === undefined) values.set(key, { ...v });
    else known.value += v.value;
  }
  return { ...into, values: [...values.values()] };
}

function family(name: string, help: string, type: "gauge" | "counter", values: MetricFamily["values"]): MetricFamily {
  return { name, help, type, aggregator: "sum", values };
}

/**
 * The primary's side of cluster metrics, without prom-client's `AggregatorRegistry` request
 * handling (whose one 5 s timeout fails the whole scrape when any worker is slow, which forgets a
 * dead worker's counts so the cluster's counters drop, and whose workers serialize their whole
 * registry in one synchronous step). Here:
 *
 * - each scrape asks every worker and waits at most `timeoutMs` per worker; a worker that does not
 *   answer in time contributes its last complete snapshot (`stale`) or nothing (`missing`), and
 *   the result says it is partial;
 * - when a worker exits, the counters and histograms of its last snapshot (or the one it sent as
 *   it shut down) move into a baseline that every later scrape adds, so cluster totals never
 *   decrease across crashes, recycles and reloads;
 * - prom-client's static `AggregatorRegistry.aggregate` does the summing (per metric `aggregator`:
 *   gauges of event-loop lag are averaged, versions taken once, start times omitted) and the
 *   formatting.
 *
 * @example
 * ```ts
 * const aggregator = new ClusterAggregator((id, message) => cluster.workers?.[id]?.send(message) ?? false);
 * aggregator.workerStarted(worker.id, worker.process.pid!);
 * worker.on("message", (m) => aggregator.receive(worker.id, m));
 * const { text, partial } = await aggregator.scrape(2000, { workers: 2, restarts: 0 });
 * ```
 */
export class ClusterAggregator {
  private readonly entries = new Map<number, Entry>();
  private baseline: MetricFamily[] = [];
  private nextId = 0;

  constructor(private readonly sendTo: (workerId: number, message: ToWorker) => boolean) {}

  workerStarted(workerId: number, pid: number): void {
    this.entries.set(workerId, { pid, latest: null, generation: 0, building: new Map(), waiters: new Map() });
  }

  /** Folds what the worker counted into the baseline and forgets it. */
  workerExited(workerId: number): void {
    const entry = this.entries.get(workerId);
    if (entry === undefined) return;
    this.entries.delete(workerId);
    if (entry.latest !== null) this.fold(entry.latest);
    for (const wake of entry.waiters.values()) wake();
  }

  private fold(snapshot: MetricFamily[]): void {
    const byName = new Map(this.baseline.map((f) => [f.name, f]));
    for (const f of snapshot) {
      if (!MONOTONIC.has(f.type)) continue;
      const known = byName.get(f.name);
      byName.set(f.name, known === undefined ? { ...f, aggregator: "sum", values: f.values.map((v) => ({ ...v })) } : sumInto(known, f));
    }
    this.baseline = [...byName.values()];
  }

  /** A metrics message from a worker. */
  receive(workerId: number, message: ToPrimary): void {
    const entry = this.entries.get(workerId);
    if (entry === undefined || message.velox === "metrics:scrape") return;
    let parts = entry.building.get(message.id);
    if (parts === undefined) {
      // Parts of a request that timed out are dropped; the worker's goodbye snapshot is unrequested.
      if (message.id !== FINAL) return;
      entry.building.set(FINAL, (parts = []));
    }
    if (message.velox === "metrics:part") {
      for (const f of message.families) parts.push(f);
      for (const c of message.compact ?? []) parts.push(expandCompact(c));
      return;
    }
    entry.building.delete(message.id);
    entry.latest = merge(parts);
    entry.generation++;
    entry.waiters.get(message.id)?.();
  }

  private collect(workerId: number, entry: Entry, id: number, timeoutMs: number): Promise<WorkerState> {
    const before = entry.generation;
    entry.building.set(id, []);
    return new Promise((resolve) => {
      const settle = (): void => {
        clearTimeout(timer);
        entry.waiters.delete(id);
        entry.building.delete(id);
        resolve(entry.generation > before ? "fresh" : entry.latest !== null ? "stale" : "missing");
      };
      const timer = setTimeout(settle, timeoutMs);
      entry.waiters.set(id, settle);
      let sent = false;
      try {
        sent = this.sendTo(workerId, { velox: "metrics:collect", id });
      } catch {
        sent = false;
      }
      if (!sent) settle();
    });
  }

  /** Every worker's metrics summed, plus the cluster's own. Never waits longer than `timeoutMs`. */
  async scrape(timeoutMs: number, stats: ClusterStats): Promise<ClusterScrape> {
    const id = ++this.nextId;
    const asked = [...this.entries].map(([workerId, entry]) => this.collect(workerId, entry, id, timeoutMs));
    const states: Record<WorkerState, number> = { fresh: 0, stale: 0, missing: 0 };
    for (const state of await Promise.all(asked)) states[state]++;
    const partial = states.stale + states.missing > 0;
    const snapshots = [...this.entries.values()].flatMap((e) => (e.latest === null ? [] : [e.latest]));
    const own = [
      family("velox_cluster_workers", "Worker processes alive.", "gauge", [{ value: stats.workers, labels: {} }]),
      family("velox_cluster_worker_restarts_total", "Workers that exited without being asked to (crashes, kills).", "counter", [{ value: stats.restarts, labels: {} }]),
      family("velox_metrics_scrape_workers", "Workers by how their numbers reached this scrape: fresh, stale (last snapshot) or missing.", "gauge",
        (Object.keys(states) as WorkerState[]).map((state) => ({ value: states[state], labels: { state } }))),
      family("velox_metrics_partial", "1 when some worker did not answer this scrape in time.", "gauge", [{ value: partial ? 1 : 0, labels: {} }]),
    ];
    const registry = AggregatorRegistry.aggregate([this.baseline, ...snapshots, own] as never);
    const body = await registry.metrics();
    const note = partial ? `# velox: partial result: ${states.stale} worker(s) stale, ${states.missing} missing\n` : "";
    return { text: `${note}${body}`, contentType: registry.contentType, partial, states };
  }
}
