import { Server as NetServer } from "node:net";
import type { Server } from "node:http";
import type { ConnectionTracker } from "./connections.ts";
import type { RequestGate } from "./gate.ts";

/** What a drain works on, and until when. */
export interface DrainPlan {
  server: Server;
  gate: RequestGate;
  connections: ConnectionTracker;
  /** How long idle keep-alive connections may still bring one request (answered with `Connection: close`). */
  idleGraceMs: number;
  /** Epoch ms after which the remaining connections are cut. */
  deadline: number;
}

/**
 * Drains a server: readiness turns 503 and responses carry `Connection: close` at once; the
 * listener closes (new connections are refused); idle keep-alive connections get a short grace
 * to bring a request already on its way, then close; in-flight requests finish. Node's own
 * `server.close()` closes idle connections at once, racing clients that are reusing them, and
 * stops enforcing request timeouts — so the listener is closed at the `net.Server` level instead.
 * Resolves true when every connection closed before the deadline.
 *
 * @example
 * ```ts
 * const clean = await drainServer({ server, gate, connections, idleGraceMs: 1000, deadline: Date.now() + 20_000 });
 * ```
 */
export async function drainServer(plan: DrainPlan): Promise<boolean> {
  const { server, gate, connections, deadline } = plan;
  gate.startDraining();
  if (server.listening) NetServer.prototype.close.call(server);
  await connections.waitEmpty(Math.min(deadline, Date.now() + plan.idleGraceMs));
  connections.destroyIdle(new Set([...gate.active].map((res) => res.socket)));
  const clean = await connections.waitEmpty(deadline);
  if (!clean) {
    server.closeAllConnections();
    connections.destroyAll();
  }
  // Stops node's timeout checker; the listening handle is already gone.
  server.close();
  return clean;
}
