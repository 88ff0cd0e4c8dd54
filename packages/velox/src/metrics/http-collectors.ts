import type { HttpCell, HttpSeries } from "./http-series.ts";
import { ACTIVE, DURATION, LABELS, REFUSED, REQUEST_SIZE, RESPONSE_SIZE } from "./semantic.ts";

/** A value as prom-client's registries read it (`MetricObjectWithValues`). */
export interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

/** A metric family as prom-client's `registry.getMetricsAsJSON()` returns it. */
export interface MetricFamily {
  name: string;
  help: string;
  type: "counter" | "gauge" | "histogram" | "summary";
  aggregator: string;
  values: MetricValue[];
}

/** What a prom-client `Registry` needs of a metric to register and format it. */
export interface RegistrableMetric {
  name: string;
  help: string;
  type: MetricFamily["type"];
  aggregator: string;
  get(): Promise<MetricFamily>;
  reset(): void;
  /** Values of cells `[from, to)`: a scrape in a worker formats a large family in slices. */
  slice?(from: number, to: number): MetricValue[];
  /** Cells a `slice` walks. */
  readonly cellCount?: number;
}

type HistogramPick = (cell: HttpCell) => { buckets: Float64Array; sum: number; count: number };

function histogramValues(name: string, bounds: readonly number[], cells: readonly HttpCell[], pick: HistogramPick, from: number, to: number): MetricValue[] {
  const out: MetricValue[] = [];
  const bucketName = `${name}_bucket`;
  for (let c = from; c < to && c < cells.length; c++) {
    const cell = cells[c]!;
    const { buckets, sum, count } = pick(cell);
    if (count === 0) continue;
    const labels = { [LABELS[0]]: cell.method, [LABELS[1]]: cell.route, [LABELS[2]]: cell.status };
    let cumulative = 0;
    for (let b = 0; b < bounds.length; b++) {
      cumulative += buckets[b]!;
      out.push({ value: cumulative, labels: { ...labels, le: bounds[b]! }, metricName: bucketName });
    }
    out.push({ value: count, labels: { ...labels, le: "+Inf" }, metricName: bucketName });
    out.push({ value: sum, labels, metricName: `${name}_sum` });
    out.push({ value: count, labels, metricName: `${name}_count` });
  }
  return out;
}

function histogramFamily(series: HttpSeries, name: string, help: string, bounds: readonly number[], pick: HistogramPick): RegistrableMetric {
  return {
    name,
    help,
    type: "histogram",
    aggregator: "sum",
    get: async () => ({ name, help, type: "histogram", aggregator: "sum", values: histogramValues(name, bounds, series.cells, pick, 0, series.cells.length) }),
    reset: () => series.reset(),
    slice: (from, to) => histogramValues(name, bounds, series.cells, pick, from, to),
    get cellCount() {
      return series.cells.length;
    },
  };
}

function single(name: string, help: string, type: "counter" | "gauge", read: () => number, reset: () => void): RegistrableMetric {
  return {
    name,
    help,
    type,
    aggregator: "sum",
    get: async () => ({ name, help, type, aggregator: "sum", values: [{ value: read(), labels: {} }] }),
    reset,
  };
}

/**
 * The metric families of an {@link HttpSeries}, shaped as prom-client metrics so a `Registry`
 * registers, formats and merges them like its own.
 *
 * @example
 * ```ts
 * const registry = new Registry();
 * for (const metric of httpCollectors(new HttpSeries(1000))) registry.registerMetric(metric as never);
 * ```
 */
export function httpCollectors(series: HttpSeries): RegistrableMetric[] {
  return [
    histogramFamily(series, DURATION, "Duration of HTTP server requests.", series.durationBuckets, (c) => ({ buckets: c.duration, sum: c.durationSum, count: c.count })),
    histogramFamily(series, REQUEST_SIZE, "Size of HTTP server request bodies (Content-Length).", series.sizeBuckets, (c) => ({ buckets: c.requestSize, sum: c.requestSizeSum, count: c.requestSizeCount })),
    histogramFamily(series, RESPONSE_SIZE, "Size of HTTP server response bodies.", series.sizeBuckets, (c) => ({ buckets: c.responseSize, sum: c.responseSizeSum, count: c.responseSizeCount })),
    single(ACTIVE, "Number of active HTTP server requests.", "gauge", () => series.active, () => {}),
    single(REFUSED, "Observations dropped because their series would pass the cardinality cap.", "counter", () => series.refused, () => {
      series.refused = 0;
    }),
  ];
}
