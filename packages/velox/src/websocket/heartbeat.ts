import type { WebSocketConnection } from "./connection.ts";

/**
 * Pings every open connection of one interval with a single timer and cuts the ones from which
 * not a byte arrived since the previous ping (a pong, or any frame, counts as an answer: the TCP
 * socket's `bytesRead` tells, with no listener and no flag per connection). A dead peer — a laptop closed, a NAT
 * entry dropped — is gone within two intervals instead of holding its socket forever. It walks
 * the engine's own set of connections, so watching a connection costs no memory of its own.
 *
 * @example
 * ```ts
 * const heartbeat = new Heartbeat(30_000, engineConnections);
 * heartbeat.start(); // stops by itself when no connection is left
 * ```
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly connections: ReadonlySet<WebSocketConnection<any, any>>,
  ) {}

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  private sweep(): void {
    let watched = 0;
    for (const connection of this.connections) {
      if (connection._settings.limits.pingIntervalMs !== this.intervalMs) continue;
      watched++;
      const raw = connection.raw;
      const read = (raw as unknown as { _socket: { bytesRead: number } | null })._socket?.bytesRead ?? 0;
      if (read === connection._readAtPing) {
        raw.terminate();
        continue;
      }
      connection._readAtPing = read;
      try {
        raw.ping();
      } catch {
        raw.terminate();
      }
    }
    if (watched === 0) this.stop();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
