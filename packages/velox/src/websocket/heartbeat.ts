import type { WebSocketConnection } from "./connection.ts";

/**
 * Pings every connection of one interval with a single timer and cuts the ones that did not
 * answer the previous ping (any frame counts as an answer). A dead peer — a laptop closed, a NAT
 * entry dropped — is gone within two intervals instead of holding its socket forever.
 *
 * @example
 * ```ts
 * const heartbeat = new Heartbeat(30_000);
 * heartbeat.add(connection); // removed by itself when the connection closes
 * heartbeat.stop();
 * ```
 */
export class Heartbeat {
  private readonly connections = new Set<WebSocketConnection<any, any>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs: number) {}

  add(connection: WebSocketConnection<any, any>): void {
    this.connections.add(connection);
    connection.onClosed(() => this.connections.delete(connection));
    if (this.timer === null) {
      this.timer = setInterval(() => this.sweep(), this.intervalMs);
      this.timer.unref();
    }
  }

  get size(): number {
    return this.connections.size;
  }

  private sweep(): void {
    for (const connection of this.connections) {
      const raw = connection.raw;
      if (!connection._alive) {
        raw.terminate();
        continue;
      }
      connection._alive = false;
      try {
        raw.ping();
      } catch {
        raw.terminate();
      }
    }
    if (this.connections.size === 0) this.stop();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
