import type { Worker } from "node:cluster";
import { createServer, type Server } from "node:http";
import type { Logger } from "../../logger.ts";
import type { ClusterAggregator, ClusterScrape } from "../../metrics/cluster/aggregator.ts";
import { isMetricsMessage, type ToPrimary } from "../../metrics/cluster/protocol.ts";
import { isDiagMessage, type DiagMessage } from "../../diagnostics/protocol.ts";

interface Relay {
  origin: Worker;
  id: number;
  timer: NodeJS.Timeout;
}

/**
 * The primary's observability side: counts workers that died unasked, routes `metrics:*`
 * messages to the cluster metrics aggregator, relays `diag:*` requests between workers (a
 * diagnostics endpoint served by one worker can profile another), and serves `/metrics` on the
 * primary's own port when `metricsPort` is set. The aggregator (and prom-client with it) is imported on the first metrics
 * message, so a cluster whose app has no metrics loads neither.
 *
 * @example
 * ```ts
 * const hub = new ClusterHub(logger);
 * supervisor.observe(hub);
 * ```
 */
export class ClusterHub {
  /** Workers that exited without being asked to. */
  restarts = 0;
  private readonly workers = new Map<number, Worker>();
  private aggregator: ClusterAggregator | null = null;
  private loading: Promise<ClusterAggregator> | null = null;
  private server: Server | null = null;
  private readonly relays = new Map<number, Relay>();
  private nextRelay = 0;

  constructor(private readonly logger: Logger) {}

  private load(): Promise<ClusterAggregator> {
    this.loading ??= import("../../metrics/cluster/aggregator.ts").then(({ ClusterAggregator }) => {
      const aggregator = new ClusterAggregator((id, message) => {
        const worker = this.workers.get(id);
        return worker !== undefined && worker.isConnected() && worker.send(message);
      });
      for (const [id, worker] of this.workers) aggregator.workerStarted(id, worker.process.pid ?? 0);
      this.aggregator = aggregator;
      return aggregator;
    });
    return this.loading;
  }

  /** Runs `fn` now if the aggregator is loaded, after it loads if it is loading, else never. */
  private withAggregator(fn: (aggregator: ClusterAggregator) => void): void {
    if (this.aggregator !== null) fn(this.aggregator);
    else if (this.loading !== null) void this.loading.then(fn);
  }

  workerStarted(worker: Worker): void {
    this.workers.set(worker.id, worker);
    this.aggregator?.workerStarted(worker.id, worker.process.pid ?? 0);
  }

  /** `expected`: the primary asked it to stop (reload, recycle, shutdown). */
  workerExited(worker: Worker, expected: boolean): void {
    if (!expected) this.restarts++;
    // Deferred while the aggregator loads, so it still registers this worker and its last snapshot.
    if (this.aggregator === null && this.loading !== null) {
      void this.loading.then((a) => {
        this.workers.delete(worker.id);
        a.workerExited(worker.id);
      });
      return;
    }
    this.workers.delete(worker.id);
    this.aggregator?.workerExited(worker.id);
  }

  /** A worker's message; returns true when it was one of the hub's. */
  message(worker: Worker, message: unknown): boolean {
    if (isDiagMessage(message)) {
      this.relay(worker, message);
      return true;
    }
    if (!isMetricsMessage(message)) return false;
    const m = message as ToPrimary;
    if (m.velox === "metrics:scrape") {
      void this.scrape(m.timeoutMs).then(
        (result) => worker.isConnected() && worker.send({ velox: "metrics:aggregate", id: m.id, text: result.text, partial: result.partial }),
        (err: unknown) => this.logger.error({ err }, "cluster metrics scrape failed"),
      );
      return true;
    }
    if (this.aggregator !== null) this.aggregator.receive(worker.id, m);
    else void this.load().then((a) => a.receive(worker.id, m));
    return true;
  }

  private reply(worker: Worker, message: DiagMessage): void {
    if (worker.isConnected()) worker.send(message);
  }

  private relay(from: Worker, m: DiagMessage): void {
    if (m.velox === "diag:workers") {
      this.reply(from, { velox: "diag:result", id: m.id, ok: true, result: [...this.workers.values()].map((w) => w.process.pid) });
    } else if (m.velox === "diag:forward") {
      const target = [...this.workers.values()].find((w) => w.process.pid === m.pid);
      if (target === undefined || !target.isConnected()) {
        this.reply(from, { velox: "diag:result", id: m.id, ok: false, status: 404, error: `no worker with pid ${m.pid}` });
        return;
      }
      const relayId = ++this.nextRelay;
      const timer = setTimeout(() => {
        this.relays.delete(relayId);
        this.reply(from, { velox: "diag:result", id: m.id, ok: false, status: 504, error: `worker ${m.pid} did not answer in time` });
      }, m.timeoutMs);
      this.relays.set(relayId, { origin: from, id: m.id, timer });
      target.send({ velox: "diag:run", id: relayId, op: m.op, args: m.args });
    } else if (m.velox === "diag:result") {
      const relay = this.relays.get(m.id);
      if (relay === undefined) return;
      this.relays.delete(m.id);
      clearTimeout(relay.timer);
      this.reply(relay.origin, { ...m, id: relay.id });
    }
  }

  /** The whole cluster's metrics. */
  async scrape(timeoutMs: number): Promise<ClusterScrape> {
    const aggregator = await this.load();
    return aggregator.scrape(timeoutMs, { workers: this.workers.size, restarts: this.restarts });
  }

  /** Serves `GET /metrics` on `host:port` from the primary. */
  listen(host: string, port: number, timeoutMs: number): Promise<number> {
    const server = createServer((req, res) => {
      const path = (req.url ?? "/").split("?")[0];
      if (path !== "/metrics" || (req.method !== "GET" && req.method !== "HEAD")) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
        return;
      }
      this.scrape(timeoutMs).then(
        (result) => {
          res.writeHead(200, { "content-type": result.contentType, "cache-control": "no-store", "x-velox-metrics-partial": result.partial ? "1" : "0" });
          res.end(req.method === "HEAD" ? undefined : result.text);
        },
        (err: unknown) => {
          this.logger.error({ err }, "cluster metrics scrape failed");
          res.writeHead(500, { "content-type": "text/plain" }).end("metrics unavailable\n");
        },
      );
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host, port }, () => {
        server.off("error", reject);
        const address = server.address();
        resolve(typeof address === "object" && address !== null ? address.port : port);
      });
    });
  }

  close(): void {
    for (const relay of this.relays.values()) clearTimeout(relay.timer);
    this.server?.close();
    this.server?.closeAllConnections();
  }
}
