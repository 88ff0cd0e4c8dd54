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

/**
 * A histogram family in the compact form a worker sends to the primary: per label set, the
 * non-cumulative bucket counts, sum and count. About a twentieth of the expanded family's size, so
 * a scrape serializes and allocates little in the worker.
 */
export interface CompactHistogram {
  name: string;
  help: string;
  bounds: readonly number[];
  /** `[method, route, status, buckets, sum, count]` per label set. */
  cells: [string, string, string, number[], number, number][];
}

/** What a prom-client `Registry` needs of a metric to register and format it. */
export interface RegistrableMetric {
  name: string;
  help: string;
  type: MetricFamily["type"];
  aggregator: string;
  get(): Promise<MetricFamily>;
  reset(): void;
  /** Cells `[from, to)` in compact form: a scrape in a worker sends a large family in slices. */
  compact?(from: number, to: number): CompactHistogram;
  /** Cells `compact` walks. */
  readonly cellCount?: number;
}

type HistogramPick = (cell: HttpCell) => { buckets: Float64Array; sum: number; count: number };

function pushCell(out: MetricValue[], name: string, bounds: readonly number[], method: string, route: string, status: string, buckets: ArrayLike<number>, sum: number, count: number): void {
  const bucketName = `${name}_bucket`;
  const labels = { [LABELS[0]]: method, [LABELS[1]]: route, [LABELS[2]]: status };
  let cumulative = 0;
  for (let b = 0; b < bounds.length; b++) {
    cumulative += buckets[b]!;
    out.push({ value: cumulative, labels: { ...labels, le: bounds[b]! }, metricName: bucketName });
  }
  out.push({ value: count, labels: { ...labels, le: "+Inf" }, metricName: bucketName });
  out.push({ value: sum, labels, metricName: `${name}_sum` });
  out.push({ value: count, labels, metricName: `${name}_count` });
}

function histogramValues(name: string, bounds: readonly number[], cells: readonly HttpCell[], pick: HistogramPick): MetricValue[] {
  const out: MetricValue[] = [];
  for (const cell of cells) {
    const { buckets, sum, count } = pick(cell);
    if (count > 0) pushCell(out, name, bounds, cell.method, cell.route, cell.status, buckets, sum, count);
  }
  return out;
}

/**
 * The family a {@link CompactHistogram} stands for (what the primary formats).
 *
 * @example
 * ```ts
 * const family = expandCompact(part.compact[0]);
 * ```
 */
export function expandCompact(compact: CompactHistogram): MetricFamily {
  const values: MetricValue[] = [];
  for (const [method, route, status, buckets, sum, count] of compact.cells) pushCell(values, compact.name, compact.bounds, method, route, status, buckets, sum, count);
  return { name: compact.name, help: compact.help, type: "histogram", aggregator: "sum", values };
}

function histogramFamily(series: HttpSeries, name: string, help: string, bounds: readonly number[], pick: HistogramPick): RegistrableMetric {
  return {
    name,
    help,
    type: "histogram",
    aggregator: "sum",
    get: async () => ({ name, help, type: "histogram", aggregator: "sum", values: histogramValues(name, bounds, series.cells, pick) }),
    reset: () => series.reset(),
    compact: (from, to) => {
      const cells: CompactHistogram["cells"] = [];
      for (let c = from; c < to && c < series.cells.length; c++) {
        const cell = series.cells[c]!;
        const { buckets, sum, count } = pick(cell);
        if (count > 0) cells.push([cell.method, cell.route, cell.status, Array.from(buckets), sum, count]);
      }
      return { name, help, bounds, cells };
    },
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
