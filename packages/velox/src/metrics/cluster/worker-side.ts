import { setImmediate as nextTurn } from "node:timers/promises";
import type { Registry } from "prom-client";
import type { Velox } from "../../app.ts";
import { WORKER_ENV } from "../../server/cluster/messages.ts";
import type { CompactHistogram, MetricFamily, RegistrableMetric } from "../http-collectors.ts";
import { FINAL, isMetricsMessage, type ToPrimary } from "./protocol.ts";

/** Longest stretch a snapshot keeps the worker's event loop before it lets requests run. */
const SLICE_MS = 1;
/** Numbers per IPC message, roughly: each `send` serializes its message synchronously. */
const PART_SIZE = 4_000;
/** Label sets sent per step of a large family. */
const CELLS_PER_STEP = 64;

/**
 * Whether this process is a worker of `velox run --workers N` / `serve({ workers })`, with the
 * primary on the other end of its IPC channel.
 *
 * @example
 * ```ts
 * if (inVeloxWorker()) console.log("metrics are summed by the primary");
 * ```
 */
export function inVeloxWorker(): boolean {
  return process.env[WORKER_ENV] === "1" && typeof process.send === "function";
}

function send(message: ToPrimary): void {
  if (process.connected) process.send?.(message);
}

/**
 * Sends one snapshot of `registries` to the primary (through `post`) in parts, never holding the event loop much
 * longer than {@link SLICE_MS} (plus one family's `get()` for prom-client's own metrics, whose
 * size the app controls) and yielding to pending I/O between slices.
 */
export async function sendSnapshot(registries: Iterable<Registry>, id: number, post: (message: ToPrimary) => void = send): Promise<void> {
  let part: MetricFamily[] = [];
  let compact: CompactHistogram[] = [];
  let size = 0;
  let sliceStart = performance.now();
  const flush = async (): Promise<void> => {
    if (part.length > 0 || compact.length > 0) post({ velox: "metrics:part", id, families: part, ...(compact.length > 0 ? { compact } : {}) });
    part = [];
    compact = [];
    size = 0;
    await nextTurn();
    sliceStart = performance.now();
  };
  const added = async (count: number): Promise<void> => {
    size += count;
    if (size >= PART_SIZE || performance.now() - sliceStart >= SLICE_MS) await flush();
  };
  for (const registry of registries) {
    for (const metric of registry.getMetricsAsArray() as unknown as RegistrableMetric[]) {
      const head = { name: metric.name, help: metric.help, type: metric.type, aggregator: metric.aggregator ?? "sum" };
      if (metric.compact !== undefined && metric.cellCount !== undefined) {
        const cells = metric.cellCount;
        for (let from = 0; from < cells; from += CELLS_PER_STEP) {
          const step = metric.compact(from, from + CELLS_PER_STEP);
          compact.push(step);
          await added(step.cells.length * (step.bounds.length + 6));
        }
        continue;
      }
      const family = (await metric.get()) as MetricFamily;
      part.push({ ...head, ...family, aggregator: head.aggregator });
      await added(family.values.length * 6);
    }
  }
  await flush();
  post({ velox: "metrics:done", id });
}

const served = new Set<Registry>();
let listening = false;

/**
 * Answers the primary's `collect` requests with snapshots of `registry` (and of any other registry
 * served the same way in this process), and sends a last snapshot when the app closes so the
 * cluster's counters keep what this worker counted.
 *
 * @example
 * ```ts
 * if (inVeloxWorker()) serveSnapshotsToPrimary(registry, app);
 * ```
 */
export function serveSnapshotsToPrimary(registry: Registry, app: Velox): void {
  served.add(registry);
  app.addHook("onClose", () => sendSnapshot(served, FINAL));
  if (listening) return;
  listening = true;
  process.on("message", (message: unknown) => {
    if (!isMetricsMessage(message) || message.velox !== "metrics:collect") return;
    void sendSnapshot(served, message.id).catch(() => send({ velox: "metrics:done", id: message.id }));
  });
}

let nextScrape = 0;

/**
 * Asks the primary for the cluster-wide exposition (what a worker's `/metrics` answers). Resolves
 * with the text, or null if the primary did not answer in time: this worker's own counts are not
 * offered instead, since Prometheus would read them as a counter reset.
 *
 * @example
 * ```ts
 * const text = await askPrimaryForMetrics(2000);
 * ```
 */
export function askPrimaryForMetrics(timeoutMs: number): Promise<string | null> {
  const id = ++nextScrape;
  return new Promise((resolve) => {
    const finish = (text: string | null): void => {
      clearTimeout(timer);
      process.off("message", onMessage);
      resolve(text);
    };
    const onMessage = (message: unknown): void => {
      if (isMetricsMessage(message) && message.velox === "metrics:aggregate" && message.id === id) finish(message.text);
    };
    const timer = setTimeout(() => finish(null), timeoutMs + 1_000);
    process.on("message", onMessage);
    send({ velox: "metrics:scrape", id, timeoutMs });
  });
}
