import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, Summary } from "prom-client";
import type { CounterConfiguration, GaugeConfiguration, HistogramConfiguration, SummaryConfiguration } from "prom-client";
import type { Velox } from "../app.ts";
import { VeloxError } from "../errors.ts";
import { PlainTextResponse } from "../responses/simple.ts";
import { requestBodyBytes, responseBodyBytes } from "./body-bytes.ts";
import { askPrimaryForMetrics, inVeloxWorker, serveSnapshotsToPrimary } from "./cluster/worker-side.ts";
import { httpCollectors } from "./http-collectors.ts";
import { HttpSeries } from "./http-series.ts";
import { DURATION_BUCKETS, methodLabel, SIZE_BUCKETS, UNMATCHED_ROUTE } from "./semantic.ts";

/** Options of {@link metrics}. */
export interface MetricsOptions {
  /** Where the exposition is served (default `/metrics`); `false` serves none (scrape with `scrape()`). */
  path?: string | false;
  /** Label sets (method × route × status) kept at most; beyond, new ones are refused and counted (default 1000). */
  maxSeries?: number;
  /** prom-client's process, heap, GC and event-loop-lag collectors (default true). */
  defaultMetrics?: boolean;
  /** Bucket boundaries of the duration histogram in seconds (default OpenTelemetry's, 0.005…10). */
  durationBuckets?: readonly number[];
  /** Bucket boundaries of the body size histograms in bytes. */
  sizeBuckets?: readonly number[];
  /** A registry to use instead of a new one (e.g. prom-client's global `register`). */
  registry?: Registry;
  /**
   * Under `velox run --workers N`, `path` answers with the sum over every worker, gathered by the
   * primary (default true). `false` answers with this worker's own series.
   */
  aggregateWorkers?: boolean;
  /** Time the primary waits for each worker's snapshot before using its last one (default 2000 ms). */
  workerTimeoutMs?: number;
}

/** A Velox plugin that records HTTP metrics and owns the registry custom metrics join. */
export interface MetricsPlugin {
  (app: Velox): void;
  /** The prom-client registry: default, HTTP and custom metrics. */
  readonly registry: Registry;
  /** The HTTP series store (its `size` and `refused` are handy in tests). */
  readonly series: HttpSeries;
  /** The Prometheus text exposition of this process. */
  scrape(): Promise<string>;
  /** A counter in this registry. */
  counter<T extends string>(config: Omit<CounterConfiguration<T>, "registers">): Counter<T>;
  /** A gauge in this registry. */
  gauge<T extends string>(config: Omit<GaugeConfiguration<T>, "registers">): Gauge<T>;
  /** A histogram in this registry. */
  histogram<T extends string>(config: Omit<HistogramConfiguration<T>, "registers">): Histogram<T>;
  /** A summary in this registry (not aggregated across workers: quantiles do not add up). */
  summary<T extends string>(config: Omit<SummaryConfiguration<T>, "registers">): Summary<T>;
}

function checkBuckets(name: string, buckets: readonly number[]): void {
  if (buckets.length === 0 || buckets.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= buckets[i - 1]!))) {
    throw new VeloxError("VX_INVALID_OPTION", `metrics(): ${name} must be finite numbers in increasing order`);
  }
}

function checkOptions(options: MetricsOptions): void {
  const { path, maxSeries, workerTimeoutMs } = options;
  if (path !== undefined && path !== false && (typeof path !== "string" || !path.startsWith("/"))) {
    throw new VeloxError("VX_INVALID_OPTION", `metrics(): path must start with "/" or be false, got ${JSON.stringify(path)}`);
  }
  if (maxSeries !== undefined && (!Number.isInteger(maxSeries) || maxSeries < 1)) {
    throw new VeloxError("VX_INVALID_OPTION", `metrics(): maxSeries must be a positive integer, got ${String(maxSeries)}`);
  }
  if (workerTimeoutMs !== undefined && (!Number.isInteger(workerTimeoutMs) || workerTimeoutMs < 1)) {
    throw new VeloxError("VX_INVALID_OPTION", `metrics(): workerTimeoutMs must be a positive integer, got ${String(workerTimeoutMs)}`);
  }
  if (options.durationBuckets) checkBuckets("durationBuckets", options.durationBuckets);
  if (options.sizeBuckets) checkBuckets("sizeBuckets", options.sizeBuckets);
}

/**
 * Prometheus metrics for a Velox app: request duration, body sizes and requests in flight with
 * OpenTelemetry's semantic names (`http_server_request_duration_seconds{http_request_method,
 * http_route, http_response_status_code}`), labelled by route template — never by raw path, so
 * unmatched requests share one `http_route="unmatched"` series — with a cap on label sets,
 * prom-client's process and event-loop collectors, and custom metrics in the same registry.
 * Under `velox run --workers N` the `/metrics` endpoint answers for the whole cluster.
 *
 * @example
 * ```ts
 * import { metrics } from "velox/metrics";
 *
 * const observed = metrics({ maxSeries: 2000 });
 * app.register(observed);
 * const orders = observed.counter({ name: "shop_orders_total", help: "Orders placed.", labelNames: ["channel"] });
 * app.post("/orders", {}, () => {
 *   orders.inc({ channel: "web" });
 *   return { ok: true };
 * });
 * ```
 */
export function metrics(options: MetricsOptions = {}): MetricsPlugin {
  checkOptions(options);
  const registry = options.registry ?? new Registry();
  const series = new HttpSeries(options.maxSeries ?? 1000, options.durationBuckets ?? DURATION_BUCKETS, options.sizeBuckets ?? SIZE_BUCKETS);
  for (const metric of httpCollectors(series)) registry.registerMetric(metric as never);
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const path = options.path ?? "/metrics";
  const aggregate = (options.aggregateWorkers ?? true) && inVeloxWorker();
  const timeoutMs = options.workerTimeoutMs ?? 2_000;

  const plugin = ((app: Velox) => {
    app.addHook("onRequest", () => {
      series.active++;
    });
    app.addHook("onResponse", (ctx, info) => {
      series.active--;
      series.observe(methodLabel(info.method), info.route ?? UNMATCHED_ROUTE, info.status, info.durationMs / 1000, requestBodyBytes(ctx.req), responseBodyBytes(ctx.res, info.bytes, info.method));
    });
    if (inVeloxWorker()) serveSnapshotsToPrimary(registry, app);
    if (path !== false) {
      app.get(path, { includeInSchema: false }, async () => {
        const text = aggregate ? await askPrimaryForMetrics(timeoutMs) : await registry.metrics();
        if (text === null) return new PlainTextResponse("the cluster primary did not answer\n", { status: 503, headers: { "retry-after": "1" } });
        return new PlainTextResponse(text, { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
      });
    }
  }) as MetricsPlugin;

  return Object.assign(plugin, {
    registry,
    series,
    scrape: () => registry.metrics(),
    counter: <T extends string>(config: Omit<CounterConfiguration<T>, "registers">) => new Counter<T>({ ...config, registers: [registry] }),
    gauge: <T extends string>(config: Omit<GaugeConfiguration<T>, "registers">) => new Gauge<T>({ ...config, registers: [registry] }),
    histogram: <T extends string>(config: Omit<HistogramConfiguration<T>, "registers">) => new Histogram<T>({ ...config, registers: [registry] }),
    summary: <T extends string>(config: Omit<SummaryConfiguration<T>, "registers">) => new Summary<T>({ ...config, registers: [registry] }),
  });
}
