/**
 * A token bucket: `capacity` tokens, refilled continuously at `capacity` per `intervalMs`. One per
 * connection, so it is two numbers and a timestamp, with no timer.
 *
 * @example
 * ```ts
 * const bucket = new TokenBucket(100, 1000); // 100 messages per second, bursts up to 100
 * if (!bucket.take()) socket.close(1008, "Message rate limit exceeded");
 * ```
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly perMs: number;

  constructor(
    private readonly capacity: number,
    intervalMs: number,
  ) {
    this.tokens = capacity;
    this.last = Date.now();
    this.perMs = capacity / intervalMs;
  }

  /** Takes one token; false when none is left. */
  take(now = Date.now()): boolean {
    const elapsed = now - this.last;
    if (elapsed > 0) {
      this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.perMs);
      this.last = now;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
