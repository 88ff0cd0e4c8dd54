import type { ItemsRepository } from "./items.ts";

/** Options of {@link ViewCounter}. */
export interface ViewCounterOptions {
  /** How long views wait in memory before being written (default 1000 ms). */
  flushIntervalMs?: number;
  /** Told about a failed write; those views are dropped (popularity is approximate). */
  onError?: (error: unknown) => void;
}

/**
 * Write-behind view counting for popularity: `record` only bumps a counter in memory, and the
 * counts reach the database in one transaction per interval, so an item read costs no write.
 * Views not yet flushed are lost if the process dies without `close()`; a graceful shutdown
 * flushes them.
 *
 * @example
 * ```ts
 * const views = new ViewCounter(items);
 * views.record(item.id);     // on every read
 * await views.close();       // at shutdown, before closing the database
 * ```
 */
export class ViewCounter {
  #pending = new Map<number, number>();
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  readonly #intervalMs: number;
  readonly #onError: (error: unknown) => void;

  constructor(
    private readonly items: Pick<ItemsRepository, "addViews">,
    options: ViewCounterOptions = {},
  ) {
    this.#intervalMs = options.flushIntervalMs ?? 1000;
    this.#onError = options.onError ?? ((error) => console.error("view counts were not saved", error));
  }

  /**
   * Counts one view of an item.
   *
   * @example
   * ```ts
   * views.record(item.id);
   * ```
   */
  record(itemId: number): void {
    this.#pending.set(itemId, (this.#pending.get(itemId) ?? 0) + 1);
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => void this.flush(), this.#intervalMs);
      this.#timer.unref();
    }
  }

  /**
   * Views recorded and not yet written.
   *
   * @example
   * ```ts
   * if (views.pending > 0) await views.flush();
   * ```
   */
  get pending(): number {
    let sum = 0;
    for (const views of this.#pending.values()) sum += views;
    return sum;
  }

  /**
   * Writes the pending counts now (after any write in progress); resolves once they are stored.
   *
   * @example
   * ```ts
   * await views.flush();
   * ```
   */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    this.#pending = new Map();
    this.#writing = this.#writing.then(async () => {
      try {
        await this.items.addViews(batch);
      } catch (error) {
        this.#onError(error);
      }
    });
    return this.#writing;
  }

  /**
   * Flushes what is pending; call before closing the database.
   *
   * @example
   * ```ts
   * await views.close();
   * ```
   */
  close(): Promise<void> {
    return this.flush();
  }
}
