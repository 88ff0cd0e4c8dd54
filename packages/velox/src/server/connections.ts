import type { Socket } from "node:net";
import type { Duplex } from "node:stream";

/**
 * The open sockets of one server, so a drain knows when the last one has closed.
 *
 * @example
 * ```ts
 * const connections = new ConnectionTracker();
 * server.on("connection", (socket) => connections.add(socket));
 * const allClosed = await connections.waitEmpty(Date.now() + 5_000);
 * ```
 */
export class ConnectionTracker {
  private readonly sockets = new Set<Socket>();
  /** Sockets handed to an upgrade (WebSockets): not idle, whatever the HTTP side says. */
  private readonly upgraded = new Set<Socket | Duplex>();
  private waiters: (() => void)[] = [];

  add(socket: Socket): void {
    this.sockets.add(socket);
    socket.once("close", () => {
      this.sockets.delete(socket);
      this.upgraded.delete(socket);
      if (this.sockets.size === 0) this.wake();
    });
  }

  /** Marks a socket as upgraded: a drain leaves it to the app until the deadline. */
  markUpgraded(socket: Socket | Duplex): void {
    this.upgraded.add(socket);
  }

  get size(): number {
    return this.sockets.size;
  }

  /** Resolves true once no socket is open, or false at `deadline` (epoch ms). */
  waitEmpty(deadline: number): Promise<boolean> {
    if (this.sockets.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve(this.sockets.size === 0);
      }, Math.max(0, deadline - Date.now()));
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.waiters.push(done);
    });
  }

  /**
   * Destroys the sockets not carrying a request: kept-alive idle ones, and ones that never sent
   * a complete head (node's `closeIdleConnections` spares those until `headersTimeout`).
   */
  destroyIdle(busy: ReadonlySet<Socket | null>): void {
    for (const socket of this.sockets) if (!busy.has(socket) && !this.upgraded.has(socket)) socket.destroy();
  }

  /** Destroys every socket still open (the drain's deadline has passed). */
  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
