import { DURATION_BUCKETS, SIZE_BUCKETS } from "./semantic.ts";

/** One label set (method, route, status) and the three histograms it carries. */
export interface HttpCell {
  readonly method: string;
  readonly route: string;
  readonly status: string;
  /** The status code the cell was found by. */
  readonly code: number;
  /** Per-bucket counts, not cumulative; the last slot is +Inf. */
  readonly duration: Float64Array;
  durationSum: number;
  readonly requestSize: Float64Array;
  requestSizeSum: number;
  requestSizeCount: number;
  readonly responseSize: Float64Array;
  responseSizeSum: number;
  responseSizeCount: number;
  count: number;
}

function bucketOf(bounds: readonly number[], value: number): number {
  let i = 0;
  while (i < bounds.length && value > bounds[i]!) i++;
  return i;
}

/**
 * The request histograms of one app, kept as plain typed arrays keyed route → method → status.
 * One observation costs one map lookup by route template (the same string object every time, so
 * its hash is cached), a scan of that route's few cells comparing method and status by identity,
 * and three bucket scans; prom-client's own
 * `Histogram.observe` sorts and joins the labels into a key on every call, which the per-request
 * budget of the batteries cannot afford. The registry still formats the series (see
 * `http-collectors.ts`), so prom-client owns the exposition format.
 *
 * A new label set beyond `maxSeries` is refused: the observation is dropped and counted in
 * `refused`, so a flood of unusual requests can never grow memory or the scrape.
 *
 * @example
 * ```ts
 * const series = new HttpSeries(1000);
 * series.observe("GET", "/items/{id}", 200, 0.004, 0, 512);
 * series.size; // 1
 * ```
 */
export class HttpSeries {
  /** Label sets in the order they appeared (the scrape walks this). */
  readonly cells: HttpCell[] = [];
  /** Observations dropped at the cap. */
  refused = 0;
  /** Requests between onRequest and onResponse. */
  active = 0;
  private readonly byRoute = new Map<string, HttpCell[]>();

  constructor(
    readonly maxSeries: number,
    readonly durationBuckets: readonly number[] = DURATION_BUCKETS,
    readonly sizeBuckets: readonly number[] = SIZE_BUCKETS,
  ) {}

  get size(): number {
    return this.cells.length;
  }

  /**
   * Records one request. `method`, `route` and `status` must already be label values (see
   * `semantic.ts`); sizes are bytes, a negative size means unknown and is not observed.
   */
  observe(method: string, route: string, status: number, seconds: number, requestBytes: number, responseBytes: number): void {
    let ofRoute = this.byRoute.get(route);
    let cell: HttpCell | undefined;
    if (ofRoute !== undefined) {
      for (let i = 0; i < ofRoute.length; i++) {
        const c = ofRoute[i]!;
        if (c.code === status && c.method === method) {
          cell = c;
          break;
        }
      }
    }
    if (cell === undefined) {
      if (this.cells.length >= this.maxSeries) {
        this.refused++;
        return;
      }
      if (ofRoute === undefined) this.byRoute.set(route, (ofRoute = []));
      cell = this.create(method, route, status);
      ofRoute.push(cell);
    }
    cell.count++;
    cell.duration[bucketOf(this.durationBuckets, seconds)]!++;
    cell.durationSum += seconds;
    if (requestBytes >= 0) {
      cell.requestSize[bucketOf(this.sizeBuckets, requestBytes)]!++;
      cell.requestSizeSum += requestBytes;
      cell.requestSizeCount++;
    }
    if (responseBytes >= 0) {
      cell.responseSize[bucketOf(this.sizeBuckets, responseBytes)]!++;
      cell.responseSizeSum += responseBytes;
      cell.responseSizeCount++;
    }
  }

  private create(method: string, route: string, status: number): HttpCell {
    const cell: HttpCell = {
      method,
      route,
      status: status >= 100 && status <= 599 ? String(status) : "_OTHER",
      code: status,
      duration: new Float64Array(this.durationBuckets.length + 1),
      durationSum: 0,
      requestSize: new Float64Array(this.sizeBuckets.length + 1),
      requestSizeSum: 0,
      requestSizeCount: 0,
      responseSize: new Float64Array(this.sizeBuckets.length + 1),
      responseSizeSum: 0,
      responseSizeCount: 0,
      count: 0,
    };
    this.cells.push(cell);
    return cell;
  }

  /** Forgets every series (prom-client's `registry.resetMetrics()`). */
  reset(): void {
    this.cells.length = 0;
    this.byRoute.clear();
    this.refused = 0;
  }
}
