import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readiness, ReadinessReport } from "./readiness.ts";

/** What the probes need to know about the server they describe. */
export interface ProbeConfig {
  healthPath: string | false;
  readyPath: string | false;
  readiness: Readiness;
  /** True from the first moment of a shutdown. */
  isDraining: () => boolean;
}

/** A probe answers `(req, res)` and returns true, or returns false to let the app answer. */
export type ProbeHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

function matches(url: string, path: string): boolean {
  return url === path || (url.startsWith(path) && url.charCodeAt(path.length) === 63 /* ? */);
}

function send(req: IncomingMessage, res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(req.method === "HEAD" ? undefined : text);
}

function readyBody(report: ReadinessReport): object {
  const status = !report.ready ? "unavailable" : report.degraded ? "degraded" : "ready";
  return Object.keys(report.checks).length === 0 ? { status } : { status, checks: report.checks };
}

/**
 * Builds the `/health` (liveness) and `/ready` (readiness) endpoints. Liveness answers 200 as long
 * as the process serves requests, draining included, so an orchestrator never kills a process
 * that is finishing its work. Readiness answers 503 while draining or when a critical check fails,
 * so the load balancer stops sending traffic. Probes bypass concurrency limits and load shedding.
 *
 * @example
 * ```ts
 * const probe = createProbes({ healthPath: "/health", readyPath: "/ready", readiness, isDraining: () => draining });
 * const handler = (req, res) => { if (!probe(req, res)) app.handler(req, res); };
 * ```
 */
export function createProbes(config: ProbeConfig): ProbeHandler | null {
  const { healthPath, readyPath, readiness, isDraining } = config;
  if (healthPath === false && readyPath === false) return null;
  return (req, res) => {
    const url = req.url ?? "/";
    const health = healthPath !== false && matches(url, healthPath);
    const ready = !health && readyPath !== false && matches(url, readyPath);
    if (!health && !ready) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "application/json" });
      res.end('{"detail":"Method Not Allowed"}');
      return true;
    }
    if (health) {
      send(req, res, 200, { status: "ok" });
      return true;
    }
    if (isDraining()) {
      send(req, res, 503, { status: "draining" });
      return true;
    }
    readiness.run().then(
      (report) => {
        if (res.writableEnded || res.destroyed) return;
        // A shutdown may have begun while the checks ran: report the draining state, not stale success.
        if (isDraining()) send(req, res, 503, { status: "draining" });
        else send(req, res, report.ready ? 200 : 503, readyBody(report));
      },
      () => send(req, res, 503, { status: "unavailable" }),
    );
    return true;
  };
}
