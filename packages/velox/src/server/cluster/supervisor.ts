import cluster, { type Worker } from "node:cluster";
import type { ResolvedServeOptions } from "../options.ts";
import { ServeError } from "../serve-error.ts";
import { CrashBackoff } from "./crash-backoff.ts";
import type { ConnectionDispatcher } from "./dispatcher.ts";
import { isVeloxMessage, PORT_ENV, WORKER_ENV, type PrimaryMessage, type WorkerMessage } from "./messages.ts";

interface Managed {
  worker: Worker;
  pid: number;
  /** `starting` until it listens, `retiring` once asked to shut down. */
  state: "starting" | "serving" | "retiring";
  startedAt: number;
  /** A replacement is being started because this worker spent its request budget. */
  recycling: boolean;
  /** True once listening; false if it exited or timed out first. */
  ready: Promise<boolean>;
  exited: Promise<void>;
  killTimer: NodeJS.Timeout | null;
}

/** Something that follows the workers' lives and messages (the primary's metrics hub). */
export interface ClusterObserver {
  workerStarted(worker: Worker): void;
  /** `expected`: the primary asked it to stop. */
  workerExited(worker: Worker, expected: boolean): void;
  /** Returns true when the message was the observer's. */
  message(worker: Worker, message: unknown): boolean;
}

/** Extra time a retiring worker gets past its own shutdown deadline before SIGKILL. */
const KILL_GRACE_MS = 5_000;

/**
 * The cluster primary: keeps `workers` processes serving, replaces crashed ones with exponential
 * backoff (giving up after `maxCrashes` in a row), recycles a worker whose request budget is spent
 * by starting its replacement first, reloads every worker one by one on `reload()` (SIGHUP), and
 * drains them all on `stop()`. The primary's dispatcher accepts the connections and hands them to
 * serving workers; in every replacement the new worker is serving before the old one stops
 * getting connections, so the listener never closes and no request is refused. `stop()` closes
 * the listener first, then drains the workers, which serve every connection already handed over.
 *
 * @example
 * ```ts
 * const dispatcher = new ConnectionDispatcher();
 * const supervisor = new Supervisor(resolved, await dispatcher.listen(resolved.host, resolved.port, resolved.backlog), dispatcher);
 * await supervisor.start();
 * process.on("SIGHUP", () => void supervisor.reload());
 * ```
 */
export class Supervisor {
  /** Resolves with the exit code the primary should use once every worker has stopped. */
  readonly closed: Promise<number>;
  private readonly workers = new Map<number, Managed>();
  private readonly backoff: CrashBackoff;
  private booted = false;
  private reloading = false;
  private stopping: Promise<number> | null = null;
  private fillTimer: NodeJS.Timeout | null = null;
  private exitCode = 0;
  private resolveClosed: (code: number) => void = () => {};
  private observer: ClusterObserver | null = null;

  constructor(
    private readonly options: ResolvedServeOptions,
    readonly port: number,
    /** Null on Bun, where every worker binds the port itself. */
    private readonly dispatcher: ConnectionDispatcher | null,
  ) {
    this.backoff = new CrashBackoff(options);
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
  }

  /** Process ids of the workers alive now. */
  get pids(): number[] {
    return [...this.workers.values()].map((m) => m.pid);
  }

  /** Tells `observer` about every worker from now on. */
  observe(observer: ClusterObserver): void {
    this.observer = observer;
  }

  get isStopping(): boolean {
    return this.stopping !== null;
  }

  /** Forks the workers; resolves when all listen, rejects as soon as one fails to boot. */
  async start(): Promise<void> {
    const initial = Array.from({ length: this.options.workers }, () => this.spawn());
    const allReady = new Promise<void>((resolve, reject) => {
      let left = initial.length;
      for (const m of initial) {
        void m.ready.then((ok) => {
          if (!ok) reject(new ServeError("VX_WORKER_BOOT_FAILED", `worker ${m.pid} failed to start (see its error above)`));
          else if (--left === 0) resolve();
        });
      }
    });
    try {
      await allReady;
    } catch (err) {
      this.options.logger.error({ err }, "a worker failed to boot, stopping");
      await this.stop("boot failure", 3);
      throw err;
    }
    this.booted = true;
  }

  private live(): number {
    let count = 0;
    for (const m of this.workers.values()) if (m.state !== "retiring") count++;
    return count;
  }

  private spawn(): Managed {
    const worker = cluster.fork({ [WORKER_ENV]: "1", [PORT_ENV]: String(this.port) });
    const { logger, bootTimeoutMs } = this.options;
    let settle: (ok: boolean) => void = () => {};
    const m: Managed = {
      worker,
      pid: worker.process.pid ?? 0,
      state: "starting",
      startedAt: Date.now(),
      recycling: false,
      ready: new Promise((resolve) => {
        settle = resolve;
      }),
      exited: Promise.resolve(),
      killTimer: null,
    };
    const bootTimer = setTimeout(() => {
      logger.error({ pid: m.pid, bootTimeoutMs }, "worker did not start listening in time, killing it");
      settle(false);
      worker.process.kill("SIGKILL");
    }, bootTimeoutMs);
    this.observer?.workerStarted(worker);
    worker.on("message", (message: unknown) => {
      if (this.observer?.message(worker, message)) return;
      if (isVeloxMessage<WorkerMessage & { velox: "ready" }>(message, "ready")) {
        clearTimeout(bootTimer);
        logger.info({ pid: m.pid }, "worker ready");
        if (m.state === "starting") {
          m.state = "serving";
          this.dispatcher?.add(worker);
        }
        // A shutdown sent while it was still importing the app may have reached no listener.
        else if (m.state === "retiring") this.sendShutdown(m, "retired while starting");
        settle(true);
      } else if (isVeloxMessage<WorkerMessage & { velox: "recycle" }>(message, "recycle")) {
        this.recycle(m);
      }
    });
    worker.on("error", (err) => logger.warn({ err, pid: m.pid }, "worker IPC error"));
    m.exited = new Promise((resolve) => {
      worker.once("exit", (code, signal) => {
        clearTimeout(bootTimer);
        settle(false);
        this.onExit(m, code, signal);
        resolve();
      });
    });
    this.workers.set(worker.id, m);
    return m;
  }

  private onExit(m: Managed, code: number | null, signal: string | null): void {
    this.workers.delete(m.worker.id);
    this.dispatcher?.remove(m.worker);
    if (m.killTimer !== null) clearTimeout(m.killTimer);
    const { logger } = this.options;
    const uptimeMs = Date.now() - m.startedAt;
    this.observer?.workerExited(m.worker, m.state === "retiring" || this.stopping !== null);
    if (m.state === "retiring" || this.stopping !== null) {
      if (code !== 0) this.exitCode = 1;
      logger.info({ pid: m.pid, code, signal }, "worker stopped");
      return;
    }
    logger.warn({ pid: m.pid, code, signal, uptimeMs }, "worker died");
    if (!this.booted) return;
    const decision = this.backoff.record(uptimeMs);
    if (decision.giveUp) {
      logger.error({ crashes: decision.consecutive }, "workers keep crashing, giving up");
      void this.stop("crash loop", 1);
      return;
    }
    logger.info({ delayMs: decision.delayMs, consecutive: decision.consecutive }, "replacing worker");
    this.fillTimer ??= setTimeout(() => this.fill(), decision.delayMs);
  }

  /** Starts workers until `workers` are alive (not retiring). */
  private fill(): void {
    this.fillTimer = null;
    if (this.stopping !== null) return;
    for (let missing = this.options.workers - this.live(); missing > 0; missing--) this.spawn();
  }

  /** Replaces a worker whose request budget is spent: replacement first, then the old one drains. */
  private recycle(m: Managed): void {
    if (m.state !== "serving" || m.recycling || this.stopping !== null || !this.workers.has(m.worker.id)) return;
    m.recycling = true;
    const fresh = this.spawn();
    void fresh.ready.then((ok) => {
      if (ok) {
        void this.retire(m, "max requests");
        return;
      }
      m.recycling = false;
      // The old worker keeps serving; try again later rather than leave it unrecycled forever.
      setTimeout(() => this.recycle(m), this.options.maxRestartDelayMs).unref();
    });
  }

  /** Asks a worker to drain and exit; SIGKILL if it outlives its deadline. */
  private retire(m: Managed, reason: string): Promise<void> {
    if (m.state === "retiring") return m.exited;
    m.state = "retiring";
    // Connections already handed over travel ahead of the shutdown message: the worker serves them.
    this.dispatcher?.remove(m.worker);
    this.sendShutdown(m, reason);
    m.killTimer = setTimeout(() => {
      this.options.logger.error({ pid: m.pid }, "worker outlived its shutdown deadline, killing it");
      m.worker.process.kill("SIGKILL");
    }, this.options.shutdownTimeoutMs + KILL_GRACE_MS);
    return m.exited;
  }

  private sendShutdown(m: Managed, reason: string): void {
    try {
      if (m.worker.isConnected()) m.worker.send({ velox: "shutdown", reason } satisfies PrimaryMessage);
      else m.worker.process.kill("SIGTERM");
    } catch {
      m.worker.process.kill("SIGTERM");
    }
  }

  /**
   * Rolling reload: for each current worker, start a replacement, wait until it listens, then
   * drain the old one. A replacement that fails to boot aborts the reload and keeps the old
   * workers serving.
   */
  async reload(): Promise<void> {
    const { logger } = this.options;
    if (!this.booted || this.reloading || this.stopping !== null) {
      logger.warn({}, "reload ignored: the server is starting, reloading or stopping");
      return;
    }
    this.reloading = true;
    logger.info({ workers: this.live() }, "reloading workers");
    try {
      const old = [...this.workers.values()].filter((m) => m.state !== "retiring");
      for (const m of old) {
        if (this.stopping !== null) return;
        if (!this.workers.has(m.worker.id) || m.state === "retiring") continue;
        const fresh = this.spawn();
        const ok = await fresh.ready;
        if (this.stopping !== null) return;
        if (!ok) {
          logger.error({ pid: fresh.pid }, "reload aborted: a new worker failed to start; old workers keep serving");
          return;
        }
        await this.retire(m, "reload");
      }
      logger.info({ pids: this.pids }, "reload complete");
    } finally {
      this.reloading = false;
    }
  }

  /** Drains every worker; resolves with the primary's exit code. Idempotent. */
  stop(reason: string, exitCode: number): Promise<number> {
    this.stopping ??= (async () => {
      if (this.fillTimer !== null) clearTimeout(this.fillTimer);
      this.fillTimer = null;
      // Refuse new connections before any worker begins to drain.
      this.dispatcher?.close();
      this.options.logger.info({ reason, workers: this.workers.size }, "stopping workers");
      await Promise.all([...this.workers.values()].map((m) => this.retire(m, reason)));
      const code = Math.max(exitCode, this.exitCode);
      this.resolveClosed(code);
      return code;
    })();
    return this.stopping;
  }

  /** Kills every worker at once (a second signal). */
  killAll(): void {
    for (const m of this.workers.values()) m.worker.process.kill("SIGKILL");
  }
}
