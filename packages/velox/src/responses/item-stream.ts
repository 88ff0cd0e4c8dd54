import type { ServerResponse } from "node:http";

/**
 * A write to a stream whose client has gone away: the stream stops instead of waiting for a
 * `drain` that never comes.
 *
 * @example
 * ```ts
 * try { await writeNext(); } catch (err) { if (err instanceof StreamClosedError) return; throw err; }
 * ```
 */
export class StreamClosedError extends Error {
  constructor() {
    super("The client closed the stream");
    this.name = "StreamClosedError";
  }
}

/** Options of one item stream. */
export interface ItemStreamOptions {
  /** Milliseconds of silence after which `keepAliveText` is written; null for never. */
  keepAlive: number | null;
  keepAliveText?: string;
  /** Aborting it (the app's shutdown) ends the stream cleanly, as if the producer had finished. */
  signal?: AbortSignal | null;
  /** Told about a producer or encoding error (the stream is then cut, since the status was sent). */
  onError?: (error: unknown) => void;
  /** Told once the producer was stopped because the client went away. */
  onDisconnect?: () => void;
}

type Step = IteratorResult<unknown> | typeof STOP;
const STOP = Symbol("stop");

function iteratorOf(source: AsyncIterable<unknown> | Iterable<unknown>): AsyncIterator<unknown> | Iterator<unknown> {
  if (typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") return (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  return (source as Iterable<unknown>)[Symbol.iterator]();
}

/**
 * Writes the items of an (async) iterable to a response that already has its head, one encoded
 * chunk per item, with backpressure: the next item is pulled only once the previous one is
 * written. The connection closing stops the producer at once — its pending step is abandoned and
 * `return()` is called so its `finally` runs — and any write after that rejects with
 * {@link StreamClosedError} instead of waiting for a `drain` that never comes. `signal` ends the
 * stream cleanly. Every listener and timer is removed when it ends, whichever way.
 *
 * @example
 * ```ts
 * res.writeHead(200, { "content-type": "application/jsonl" });
 * await writeItemStream(res, rows(), (row) => JSON.stringify(row) + "\n", { keepAlive: null, signal: app.shutdownSignal });
 * ```
 */
export function writeItemStream(
  res: ServerResponse,
  source: AsyncIterable<unknown> | Iterable<unknown>,
  encode: (item: unknown) => string | Promise<string>,
  options: ItemStreamOptions,
): Promise<void> {
  return new ItemStream(res, iteratorOf(source), encode, options).run();
}

/**
 * Ends the connection without the final chunk, so the client sees the stream was cut, after the
 * items already written got out (`destroy()` alone could drop them). A client that does not read
 * them is cut off after a grace period.
 */
function cut(res: ServerResponse): void {
  const socket = res.socket;
  if (socket === null || socket.destroyed) {
    if (!res.destroyed) res.destroy();
    return;
  }
  socket.end();
  setTimeout(() => socket.destroy(), CUT_GRACE_MS).unref();
}

const CUT_GRACE_MS = 5000;

class ItemStream {
  private closed = false;
  private stopped = false;
  private finished = false;
  /** Settles the step being awaited early, when the client leaves or shutdown begins. */
  private wake: ((step: Step) => void) | null = null;
  private drain: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly res: ServerResponse,
    private readonly it: AsyncIterator<unknown> | Iterator<unknown>,
    private readonly encode: (item: unknown) => string | Promise<string>,
    private readonly options: ItemStreamOptions,
  ) {}

  private readonly onClose = (): void => {
    if (this.finished) return;
    this.closed = true;
    this.wake?.(STOP);
    this.drain?.reject(new StreamClosedError());
  };

  private readonly onDrain = (): void => {
    const waiter = this.drain;
    this.drain = null;
    waiter?.resolve();
  };

  private readonly onStop = (): void => {
    this.stopped = true;
    this.wake?.(STOP);
  };

  private readonly ping = (): void => {
    // Only an idle, writable stream needs a ping; a blocked one is not idle.
    if (this.closed || this.drain !== null || this.res.writableNeedDrain) {
      this.timer?.refresh();
      return;
    }
    this.res.write(this.options.keepAliveText ?? "\n");
    this.timer?.refresh();
  };

  async run(): Promise<void> {
    const { res, options } = this;
    if (res.destroyed || (res as { closed?: boolean }).closed) this.closed = true;
    res.on("close", this.onClose);
    res.on("drain", this.onDrain);
    const signal = options.signal ?? null;
    if (signal !== null) {
      if (signal.aborted) this.stopped = true;
      else signal.addEventListener("abort", this.onStop, { once: true });
    }
    if (options.keepAlive !== null) {
      this.timer = setTimeout(this.ping, options.keepAlive);
      this.timer.unref();
    }
    let done = false;
    try {
      while (!this.closed && !this.stopped) {
        const step = await this.next();
        if (step === STOP) break;
        if (step.done) {
          done = true;
          break;
        }
        let chunk = this.encode(step.value);
        if (typeof chunk !== "string") chunk = await chunk;
        const pending = this.write(chunk);
        if (pending !== null) await pending;
      }
      if (!this.closed) res.end();
    } catch (err) {
      if (!(err instanceof StreamClosedError)) options.onError?.(err);
      cut(res);
    } finally {
      this.finished = true;
      if (this.timer !== null) clearTimeout(this.timer);
      res.off("close", this.onClose);
      res.off("drain", this.onDrain);
      signal?.removeEventListener("abort", this.onStop);
      if (this.closed) options.onDisconnect?.();
      // Not awaited: a producer blocked in an await finishes its `return()` when it gets there.
      if (!done) this.stopProducer();
    }
  }

  private stopProducer(): void {
    const it = this.it as { return?: () => unknown };
    if (typeof it.return !== "function") return;
    try {
      const result = it.return();
      if (result instanceof Promise) result.catch((err: unknown) => this.options.onError?.(err));
    } catch (err) {
      this.options.onError?.(err);
    }
  }

  /** The producer's next step, or STOP as soon as the client leaves or shutdown begins. */
  private next(): Promise<Step> | Step {
    const result = this.it.next();
    if (!(result instanceof Promise)) return result;
    return new Promise<Step>((resolve, reject) => {
      this.wake = resolve;
      result.then(
        (step) => {
          this.wake = null;
          resolve(step);
        },
        (err: unknown) => {
          this.wake = null;
          reject(err);
        },
      );
    });
  }

  /** Writes one chunk: null when it went out at once, a promise when the socket is full. */
  private write(chunk: string): Promise<void> | null {
    if (this.closed || this.res.destroyed || this.res.writableEnded) return Promise.reject(new StreamClosedError());
    this.timer?.refresh();
    if (this.res.write(chunk)) return null;
    return new Promise<void>((resolve, reject) => {
      this.drain = { resolve, reject };
    });
  }
}
