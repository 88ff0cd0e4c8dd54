import { Counter, Gauge, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { httpCollectors } from "../http-collectors.ts";
import { HttpSeries } from "../http-series.ts";
import { ClusterAggregator } from "./aggregator.ts";
import { FINAL, type ToPrimary } from "./protocol.ts";
import { sendSnapshot } from "./worker-side.ts";

/** A worker in this process: its own registry, answering the aggregator as over IPC (JSON). */
class FakeWorker {
  readonly series = new HttpSeries(100);
  readonly registry = new Registry();
  readonly jobs: Counter;
  readonly queue: Gauge;
  slow = false;
  constructor(readonly id: number, private readonly aggregator: () => ClusterAggregator) {
    for (const m of httpCollectors(this.series)) this.registry.registerMetric(m as never);
    this.jobs = new Counter({ name: "jobs_total", help: "Jobs.", registers: [this.registry] });
    this.queue = new Gauge({ name: "queue_depth", help: "Queue.", registers: [this.registry] });
  }
  serve(n: number): void {
    for (let i = 0; i < n; i++) this.series.observe("GET", "/items/{id}", 200, 0.002, 0, 10);
  }
  post = (message: ToPrimary): void => this.aggregator().receive(this.id, JSON.parse(JSON.stringify(message)) as ToPrimary);
  answer(id: number): boolean {
    if (!this.slow) void sendSnapshot([this.registry], id, this.post);
    return true;
  }
}

function cluster() {
  const workers = new Map<number, FakeWorker>();
  const aggregator = new ClusterAggregator((id, message) => workers.get(id)?.answer((message as { id: number }).id) ?? false);
  let nextId = 1;
  const start = (): FakeWorker => {
    const w = new FakeWorker(nextId++, () => aggregator);
    workers.set(w.id, w);
    aggregator.workerStarted(w.id, 1000 + w.id);
    return w;
  };
  const kill = (w: FakeWorker): void => {
    workers.delete(w.id);
    aggregator.workerExited(w.id);
  };
  return { aggregator, start, kill };
}

const COUNT = /^http_server_request_duration_seconds_count\{[^}]*http_route="\/items\/\{id\}"[^}]*\} (\d+)$/m;
function requests(text: string): number {
  return Number(COUNT.exec(text)?.[1] ?? 0);
}
const stats = { workers: 2, restarts: 0 };

describe("ClusterAggregator", () => {
  it("adds up every worker's series exactly, custom metrics included", async () => {
    const { aggregator, start } = cluster();
    const [a, b] = [start(), start()];
    a.serve(1234);
    b.serve(766);
    a.jobs.inc(3);
    b.jobs.inc(4);
    const result = await aggregator.scrape(1000, stats);
    expect(result.partial).toBe(false);
    expect(result.states).toEqual({ fresh: 2, stale: 0, missing: 0 });
    expect(requests(result.text)).toBe(2000);
    expect(result.text).toContain('http_server_request_duration_seconds_bucket{http_request_method="GET",http_route="/items/{id}",http_response_status_code="200",le="0.005"} 2000');
    expect(result.text).toMatch(/^jobs_total 7$/m);
    expect(result.text).toMatch(/^velox_metrics_partial 0$/m);
  });

  it("answers within the timeout when a worker hangs, with its last numbers, marked partial", async () => {
    const { aggregator, start } = cluster();
    const [a, b] = [start(), start()];
    a.serve(10);
    b.serve(20);
    expect(requests((await aggregator.scrape(1000, stats)).text)).toBe(30);
    b.slow = true;
    b.serve(5); // counted by the hung worker, not yet reported
    a.serve(1);
    const startedAt = Date.now();
    const result = await aggregator.scrape(150, stats);
    expect(Date.now() - startedAt).toBeLessThan(1000);
    expect(result.partial).toBe(true);
    expect(result.states).toEqual({ fresh: 1, stale: 1, missing: 0 });
    expect(requests(result.text)).toBe(31);
    expect(result.text).toMatch(/^# velox: partial result: 1 worker\(s\) stale, 0 missing$/m);
    expect(result.text).toMatch(/^velox_metrics_scrape_workers\{state="stale"\} 1$/m);
    expect(result.text).toMatch(/^velox_metrics_partial 1$/m);
  });

  it("a worker that never answered is missing, and the scrape still answers", async () => {
    const { aggregator, start } = cluster();
    const [a, b] = [start(), start()];
    b.slow = true;
    a.serve(7);
    const result = await aggregator.scrape(100, stats);
    expect(result.states).toEqual({ fresh: 1, stale: 0, missing: 1 });
    expect(requests(result.text)).toBe(7);
  });

  it("keeps counters monotonic when a worker dies: its last counts stay, its gauges go", async () => {
    const { aggregator, start, kill } = cluster();
    const [a, b] = [start(), start()];
    a.serve(100);
    b.serve(50);
    b.jobs.inc(2);
    b.queue.set(9);
    const first = await aggregator.scrape(1000, stats);
    expect(requests(first.text)).toBe(150);
    expect(first.text).toMatch(/^queue_depth 9$/m);
    kill(b);
    const replacement = start();
    replacement.serve(1);
    a.serve(10);
    const second = await aggregator.scrape(1000, stats);
    expect(requests(second.text)).toBe(161);
    expect(second.text).toMatch(/^jobs_total 2$/m);
    expect(second.text).toMatch(/^queue_depth 0$/m);
    // Twice more: the folded baseline is added once, not once per scrape.
    expect(requests((await aggregator.scrape(1000, stats)).text)).toBe(161);
  });

  it("takes a retiring worker's goodbye snapshot, so a graceful exit loses nothing", async () => {
    const { aggregator, start, kill } = cluster();
    const a = start();
    a.serve(40);
    await aggregator.scrape(1000, stats);
    a.serve(2);
    await sendSnapshot([a.registry], FINAL, a.post);
    kill(a);
    expect(requests((await aggregator.scrape(1000, { workers: 0, restarts: 0 })).text)).toBe(42);
  });

  it("ignores parts of a request that timed out", async () => {
    const { aggregator, start } = cluster();
    const a = start();
    a.serve(3);
    aggregator.receive(a.id, { velox: "metrics:part", id: 999, families: [{ name: "x_total", help: "x", type: "counter", aggregator: "sum", values: [{ value: 1e9, labels: {} }] }] });
    aggregator.receive(a.id, { velox: "metrics:done", id: 999 });
    const result = await aggregator.scrape(1000, stats);
    expect(result.text).not.toContain("x_total");
    expect(requests(result.text)).toBe(3);
  });
});
