import type { IncomingMessage, ServerResponse } from "node:http";
import type { LoadShedder } from "./load-shedder.ts";
import type { ProbeHandler } from "./probes.ts";
import { refusedHead, sendRefusal } from "./request-head.ts";
import { sendUnavailable } from "./unavailable.ts";

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Settings of a {@link RequestGate}. */
export interface GateOptions {
  /** Requests in flight beyond which new ones get 503 (0 = unlimited). */
  limitConcurrency: number;
  retryAfter: number;
  /** Requests after which `onMaxRequests` is called once (0 = never). */
  maxRequests: number;
  onMaxRequests?: () => void;
  /** Header lines beyond which a request gets 431 (0 = no limit); see {@link refusedHead}. */
  maxHeadersCount?: number;
}

/**
 * Stands between node's server and the app: refuses heads node lets through (too many headers,
 * two Hosts), answers probes, refuses work beyond the concurrency
 * limit or while the process is overloaded, counts requests, and tracks those in flight so a drain
 * can mark them `Connection: close`. Its per-request cost is a few comparisons and one Set entry.
 *
 * @example
 * ```ts
 * const gate = new RequestGate(app.handler, { limitConcurrency: 100, retryAfter: 1, maxRequests: 0 }, probes, shedder);
 * const server = http.createServer(gate.handler);
 * ```
 */
export class RequestGate {
  /** Responses not yet closed. */
  readonly active = new Set<ServerResponse>();
  /** Requests the app has been given. */
  requests = 0;
  /** Requests refused with 503. */
  rejected = 0;
  private draining = false;
  private readonly onClose: (this: ServerResponse) => void;

  constructor(
    private readonly app: RequestListener,
    private readonly options: GateOptions,
    private readonly probes: ProbeHandler | null,
    private readonly shedder: LoadShedder | null,
  ) {
    const active = this.active;
    this.onClose = function (this: ServerResponse) {
      active.delete(this);
    };
  }

  get isDraining(): boolean {
    return this.draining;
  }

  readonly handler: RequestListener = (req, res) => {
    const refused = refusedHead(req, this.options.maxHeadersCount ?? 0);
    if (refused !== 0) {
      sendRefusal(res, refused);
      return;
    }
    if (this.draining) res.setHeader("connection", "close");
    if (this.probes !== null && this.probes(req, res)) return;
    const limit = this.options.limitConcurrency;
    if ((limit > 0 && this.active.size >= limit) || (this.shedder !== null && this.shedder.overloaded !== null)) {
      this.rejected++;
      sendUnavailable(res, this.options.retryAfter);
      return;
    }
    this.active.add(res);
    res.once("close", this.onClose);
    if (++this.requests === this.options.maxRequests) this.options.onMaxRequests?.();
    this.app(req, res);
  };

  /** From now on every response closes its connection, including those already in progress. */
  startDraining(): void {
    this.draining = true;
    for (const res of this.active) if (!res.headersSent) res.setHeader("connection", "close");
  }
}
