/** Settings of a {@link CrashBackoff}. */
export interface CrashBackoffOptions {
  /** Delay after the first crash; doubles per consecutive crash. */
  restartDelayMs: number;
  maxRestartDelayMs: number;
  /** Consecutive crashes tolerated; one more and `giveUp` is true. */
  maxCrashes: number;
  /** A worker that lived this long resets the consecutive count. */
  stableAfterMs: number;
}

/** What to do about one crash. */
export interface CrashDecision {
  /** Crashes in a row, this one included. */
  consecutive: number;
  /** Wait this long before starting a replacement. */
  delayMs: number;
  /** The crash loop cap is reached: stop replacing. */
  giveUp: boolean;
}

/**
 * Exponential backoff between worker restarts with a crash-loop cap. A crash counts as consecutive
 * unless the worker had been up for `stableAfterMs`, so a rare crash after hours restarts fast
 * while a worker that dies on boot backs off and, after `maxCrashes`, stops the server.
 *
 * @example
 * ```ts
 * const backoff = new CrashBackoff({ restartDelayMs: 250, maxRestartDelayMs: 10_000, maxCrashes: 10, stableAfterMs: 10_000 });
 * const { delayMs, giveUp } = backoff.record(uptimeMs);
 * ```
 */
export class CrashBackoff {
  private consecutive = 0;

  constructor(private readonly options: CrashBackoffOptions) {}

  record(uptimeMs: number): CrashDecision {
    const o = this.options;
    this.consecutive = uptimeMs >= o.stableAfterMs ? 1 : this.consecutive + 1;
    const delayMs = Math.min(o.maxRestartDelayMs, o.restartDelayMs * 2 ** (this.consecutive - 1));
    return { consecutive: this.consecutive, delayMs, giveUp: this.consecutive > o.maxCrashes };
  }
}
