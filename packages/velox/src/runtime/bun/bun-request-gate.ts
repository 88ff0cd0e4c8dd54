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
 * @example
 * ```ts
 * const gate = new BunRequestGate(app.handler, { limitConcurrency: 0, retryAfter: 1, maxRequests: 0 }, probes, null);
 * gate.bunHandler(view, sink);
 * ```
 */
export class BunRequestGate extends RequestGate {
  private readonly closed: (this: BunResponseSink) => void;

  constructor(
    private readonly bunApp: BunListener,
    private readonly bunOptions: GateOptions,
    private readonly bunProbes: ProbeHandler | null,
    private readonly bunShedder: LoadShedder | null,
  ) {
    super(bunApp as never, bunOptions, bunProbes, bunShedder);
    const active = this.active as Set<unknown>;
    this.closed = function (this: BunResponseSink) {
      active.delete(this);
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
    if ((limit > 0 && this.active.size >= limit) || (this.bunShedder !== null && this.bunShedder.overloaded !== null)) {
      this.rejected++;
      sendUnavailable(node, this.bunOptions.retryAfter);
      return;
    }
    (this.active as Set<unknown>).add(res);
    res.once("close", this.closed as (this: unknown) => void);
    if (++this.requests === this.bunOptions.maxRequests) this.bunOptions.onMaxRequests?.();
    this.bunApp(req, res);
  };
}
