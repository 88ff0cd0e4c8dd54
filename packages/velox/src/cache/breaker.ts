/** States of a {@link Breaker}. */
export type BreakerState = "closed" | "open" | "half-open";

/** Options of a {@link Breaker}. */
export interface BreakerOptions {
  /** Consecutive failures that open it (default 3). */
  threshold?: number;
  /** Time it stays open before letting one probe through (default 1000 ms). */
  halfOpenAfterMs?: number;
  /** Told about every change of state. */
  onChange?: (state: BreakerState) => void;
}

/**
 * A consecutive-failure circuit breaker, checked synchronously. The cache asks it before every
 * Redis command, so it must cost a comparison, not a promise: that is why it is not cockatiel's
 * (whose policies wrap each call in an async `execute`). After `threshold` failures in a row it
 * opens: calls are refused at once for `halfOpenAfterMs`, then one probe is let through; its
 * success closes the breaker, its failure opens it again.
 *
 * @example
 * ```ts
 * const breaker = new Breaker({ threshold: 3, halfOpenAfterMs: 1000 });
 * if (breaker.allow()) {
 *   try { await redis.get(key); breaker.success(); } catch { breaker.failure(); }
 * }
 * ```
 */
export class Breaker {
  #state: BreakerState = "closed";
  #failures = 0;
  #openedAt = 0;
  readonly #threshold: number;
  readonly #halfOpenAfterMs: number;
  readonly #onChange: ((state: BreakerState) => void) | undefined;

  constructor(options: BreakerOptions = {}) {
    this.#threshold = options.threshold ?? 3;
    this.#halfOpenAfterMs = options.halfOpenAfterMs ?? 1_000;
    this.#onChange = options.onChange;
  }

  /**
   * The current state.
   *
   * @example
   * ```ts
   * if (breaker.state === "open") console.warn("redis is out");
   * ```
   */
  get state(): BreakerState {
    return this.#state;
  }

  /**
   * Whether a call may go ahead now. In the half-open state only the first caller gets `true`.
   *
   * @example
   * ```ts
   * if (!breaker.allow()) return fallback();
   * ```
   */
  allow(): boolean {
    if (this.#state === "closed") return true;
    if (this.#state === "open" && Date.now() - this.#openedAt >= this.#halfOpenAfterMs) {
      this.#set("half-open");
      return true;
    }
    return false;
  }

  /**
   * Records a call that worked.
   *
   * @example
   * ```ts
   * breaker.success();
   * ```
   */
  success(): void {
    this.#failures = 0;
    if (this.#state !== "closed") this.#set("closed");
  }

  /**
   * Records a call that failed or timed out.
   *
   * @example
   * ```ts
   * breaker.failure();
   * ```
   */
  failure(): void {
    this.#failures++;
    if (this.#state === "half-open" || (this.#state === "closed" && this.#failures >= this.#threshold)) {
      this.#openedAt = Date.now();
      this.#set("open");
    }
  }

  #set(state: BreakerState): void {
    this.#state = state;
    this.#onChange?.(state);
  }
}
