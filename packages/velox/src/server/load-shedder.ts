import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";

/** Thresholds of a {@link LoadShedder}; 0 turns one off. */
export interface LoadThresholds {
  maxEventLoopDelayMs: number;
  maxHeapUsedBytes: number;
  maxRssBytes: number;
  sampleIntervalMs: number;
}

/** Why the process sheds load, as reported in logs. */
export type OverloadReason = "event-loop-delay" | "heap" | "rss";

/** What one sample measured. */
export interface LoadSample {
  eventLoopDelayMs: number;
  heapUsedBytes: number;
  rssBytes: number;
}

/**
 * Samples event-loop delay, heap and RSS on a timer and says whether the process is over a
 * threshold. Requests read one field, so the check costs nothing per request.
 *
 * @example
 * ```ts
 * const shedder = new LoadShedder({ maxEventLoopDelayMs: 200, maxHeapUsedBytes: 0, maxRssBytes: 0, sampleIntervalMs: 500 });
 * shedder.start();
 * if (shedder.overloaded !== null) reject503();
 * ```
 */
export class LoadShedder {
  /** The threshold exceeded by the last sample, or `null`. */
  overloaded: OverloadReason | null = null;
  /** The last sample. */
  last: LoadSample = { eventLoopDelayMs: 0, heapUsedBytes: 0, rssBytes: 0 };
  private histogram: IntervalHistogram | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly thresholds: LoadThresholds,
    private readonly onChange: (reason: OverloadReason | null, sample: LoadSample) => void = () => {},
  ) {}

  /** Whether any threshold is set; a shedder without one never starts. */
  get enabled(): boolean {
    const t = this.thresholds;
    return t.maxEventLoopDelayMs > 0 || t.maxHeapUsedBytes > 0 || t.maxRssBytes > 0;
  }

  start(): void {
    if (!this.enabled || this.timer !== null) return;
    if (this.thresholds.maxEventLoopDelayMs > 0) {
      this.histogram = monitorEventLoopDelay({ resolution: 10 });
      this.histogram.enable();
    }
    this.timer = setInterval(() => this.sample(), this.thresholds.sampleIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.histogram?.disable();
    this.histogram = null;
    this.overloaded = null;
  }

  /** Takes one sample now (the timer calls it; tests may too). */
  sample(): void {
    const t = this.thresholds;
    // The histogram's resolution is added to every measurement; subtract it to read the real delay.
    const delay = this.histogram ? Math.max(0, this.histogram.mean / 1e6 - 10) : 0;
    this.histogram?.reset();
    const memory = t.maxHeapUsedBytes > 0 ? process.memoryUsage() : null;
    const rss = memory?.rss ?? (t.maxRssBytes > 0 ? process.memoryUsage.rss() : 0);
    this.last = { eventLoopDelayMs: Number.isFinite(delay) ? delay : 0, heapUsedBytes: memory?.heapUsed ?? 0, rssBytes: rss };
    const reason: OverloadReason | null =
      t.maxEventLoopDelayMs > 0 && this.last.eventLoopDelayMs > t.maxEventLoopDelayMs ? "event-loop-delay"
        : t.maxHeapUsedBytes > 0 && this.last.heapUsedBytes > t.maxHeapUsedBytes ? "heap"
          : t.maxRssBytes > 0 && this.last.rssBytes > t.maxRssBytes ? "rss"
            : null;
    if (reason !== this.overloaded) {
      this.overloaded = reason;
      this.onChange(reason, this.last);
    }
  }
}
