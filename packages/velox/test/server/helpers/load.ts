import { Agent, request } from "node:http";

/** What a load run saw. */
export interface LoadResult {
  /** 2xx responses. */
  ok: number;
  /** Responses by non-2xx status. */
  statuses: Record<number, number>;
  /** Failed requests by error code (no response at all). */
  errors: Record<string, number>;
  /** Failures on a reused keep-alive socket before any response byte. */
  resetOnReuse: number;
  /** Successful responses as [time, worker pid]. */
  served: [number, string][];
  /** Failures as [time, error code]. */
  failed: [number, string][];
}

export interface LoadOptions {
  url: string;
  path?: string;
  connections?: number;
  /** A new connection per request (`Connection: close`), the most connects a drain can meet. */
  fresh?: boolean;
  /** Hard stop, so a broken server can never hang a test. */
  maxDurationMs?: number;
}

export interface LoadRun {
  readonly result: LoadResult;
  /** Stops issuing requests; resolves when the in-flight ones have settled. */
  stop(): Promise<LoadResult>;
}

/** Total failed requests (no response). */
export function failures(result: LoadResult): number {
  return Object.values(result.errors).reduce((a, b) => a + b, 0);
}

/** Pids that answered after `since` (epoch ms). */
export function pidsSince(result: LoadResult, since: number): Set<string> {
  return new Set(result.served.filter(([t]) => t >= since).map(([, pid]) => pid));
}

/**
 * A closed-loop load generator: `connections` loops, each sending the next request when the
 * previous one ended, over keep-alive sockets (a socket answered with `Connection: close` is not
 * reused). Bounded in time; only for 127.0.0.1.
 */
export function startLoad(options: LoadOptions): LoadRun {
  const target = new URL(options.path ?? "/json", options.url);
  if (target.hostname !== "127.0.0.1") throw new Error("load tests only target 127.0.0.1");
  const connections = options.connections ?? 8;
  const agent = options.fresh === true ? false : new Agent({ keepAlive: true, maxSockets: connections });
  const result: LoadResult = { ok: 0, statuses: {}, errors: {}, resetOnReuse: 0, served: [], failed: [] };
  let running = true;
  const hardStop = setTimeout(() => {
    running = false;
  }, options.maxDurationMs ?? 30_000);

  const once = (): Promise<void> =>
    new Promise((resolve) => {
      let answered = false;
      const headers = options.fresh === true ? { connection: "close" } : {};
      const req = request({ host: target.hostname, port: target.port, path: target.pathname + target.search, agent, headers }, (res) => {
        answered = true;
        res.resume();
        res.once("end", () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            result.ok++;
            result.served.push([Date.now(), String(res.headers["x-pid"])]);
          } else {
            result.statuses[status] = (result.statuses[status] ?? 0) + 1;
          }
          resolve();
        });
        res.once("error", () => resolve());
      });
      req.setTimeout(15_000, () => req.destroy(Object.assign(new Error("client timeout"), { code: "CLIENT_TIMEOUT" })));
      req.once("error", (err: NodeJS.ErrnoException) => {
        if (answered) return;
        const code = err.code ?? err.message;
        result.errors[code] = (result.errors[code] ?? 0) + 1;
        result.failed.push([Date.now(), code]);
        if (req.reusedSocket) result.resetOnReuse++;
        // Back off a little: a refused connect returns at once and would spin.
        setTimeout(resolve, 10);
      });
      req.end();
    });

  const loops = Array.from({ length: connections }, async () => {
    while (running) await once();
  });
  const all = Promise.all(loops);
  return {
    result,
    async stop() {
      running = false;
      await all;
      clearTimeout(hardStop);
      if (agent !== false) agent.destroy();
      return result;
    },
  };
}

/** Waits `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `fn` until it returns true or `timeoutMs` passes. */
export async function until(fn: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
