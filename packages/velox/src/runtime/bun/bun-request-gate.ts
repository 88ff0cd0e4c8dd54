import type { ServerResponse } from "node:http";
import { RequestGate, type GateOptions } from "../../server/gate.ts";
import type { LoadShedder } from "../../server/load-shedder.ts";
import type { ProbeHandler } from "../../server/probes.ts";
import { sendRefusal } from "../../server/request-head.ts";
import { sendUnavailable } from "../../server/unavailable.ts";
import type { BunRequestView } from "./request-view.ts";
import type { BunResponseSink } from "./response-sink.ts";

type BunListener = (req: BunRequestView, res: BunResponseSink) => void;

/**
 * The {@link RequestGate} of the Bun server, with the same decisions in the same order (two
 * Hosts 400, `Connection: close` while draining, probes, concurrency limit and load shedding 503,
 * request counting), except that it asks Bun's `Headers` for the one header it checks instead of
 * reading `req.headers`, which would build the node-style header object for every request.
 * Bun parses the head itself and has no header-count cap to add.
 *
 * Requests in flight are a count, not the base gate's `Set`: a response the app finished
 * synchronously (most) is never counted, and a pending one is released by its sink's `close`.
 * A Set add and delete per request was a quarter of the Bun path's JavaScript time on `GET /json`
 * (JavaScriptCore hashes each new response object). Responses still pending when the drain starts
 * get `Connection: close` from their sink, which asks {@link isDraining} when it builds the `Response`.
 *
 * @example
 * ```ts
 * const gate = new BunRequestGate(app.handler, { limitConcurrency: 0, retryAfter: 1, maxRequests: 0 }, probes, null);
 * gate.bunHandler(view, sink);
 * ```
 */
export class BunRequestGate extends RequestGate {
  /** Requests handed to the app whose response has not closed yet. */
  inFlight = 0;
  private readonly release: () => void;

  constructor(
    private readonly bunApp: BunListener,
    private readonly bunOptions: GateOptions,
    private readonly bunProbes: ProbeHandler | null,
    private readonly bunShedder: LoadShedder | null,
  ) {
    super(bunApp as never, bunOptions, bunProbes, bunShedder);
    this.release = () => {
      this.inFlight--;
    };
  }

  readonly bunHandler: BunListener = (req, res) => {
    const node = res as unknown as ServerResponse;
    // Bun joins repeated fields with ", ", as node's joinDuplicateHeaders does: a comma means two Hosts.
    const host = req.request.headers.get("host");
    if (host !== null && host.includes(",")) {
      sendRefusal(node, 400);
      return;
    }
    if (this.isDraining) res.setHeader("connection", "close");
    if (this.bunProbes !== null && this.bunProbes(req as never, node)) return;
    const limit = this.bunOptions.limitConcurrency;
    if ((limit > 0 && this.inFlight >= limit) || (this.bunShedder !== null && this.bunShedder.overloaded !== null)) {
      this.rejected++;
      sendUnavailable(node, this.bunOptions.retryAfter);
      return;
    }
    if (++this.requests === this.bunOptions.maxRequests) this.bunOptions.onMaxRequests?.();
    this.bunApp(req, res);
    // Finished already (one JavaScript turn, so it never overlapped another request): nothing to count.
    if (res.closed) return;
    this.inFlight++;
    res.onClosed = this.release;
  };
}
