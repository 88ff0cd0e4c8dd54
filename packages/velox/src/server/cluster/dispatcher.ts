import type { Worker } from "node:cluster";
import { createServer, type Server, type Socket } from "node:net";
import { ServeError } from "../serve-error.ts";
import type { ConnectionMessage } from "./messages.ts";

/**
 * The cluster's listening socket, owned by the primary, which hands each accepted connection to
 * the next serving worker in turn.
 *
 * Node's own round-robin (`cluster` with `SCHED_RR`) ties the listener's life to the workers: it
 * closes when the last worker stops listening, and closes with it every connection it had
 * accepted but not yet handed over — those clients see a reset on a connection that never got a
 * byte. Here the primary closes the listener first (new connections are refused by the kernel),
 * and every connection it accepted before that has already been sent to a worker, ahead of the
 * worker's shutdown message on the same channel, so the worker serves it.
 *
 * @example
 * ```ts
 * const dispatcher = new ConnectionDispatcher();
 * const port = await dispatcher.listen("127.0.0.1", 0, 511);
 * dispatcher.add(worker);     // once it is ready
 * dispatcher.close();         // at shutdown, before the workers drain
 * ```
 */
export class ConnectionDispatcher {
  private readonly server: Server;
  private serving: Worker[] = [];
  private next = 0;
  private closed = false;
  /** Connections accepted while no worker was serving (all restarting), up to the backlog. */
  private readonly waiting: Socket[] = [];
  private maxWaiting = 511;

  constructor() {
    // pauseOnConnect: the primary never reads a byte; the worker's HTTP parser gets them all.
    this.server = createServer({ pauseOnConnect: true }, (socket) => this.dispatch(socket, 0));
  }

  /** Listens on `host:port` (0 picks a free port); resolves with the port. */
  listen(host: string, port: number, backlog: number): Promise<number> {
    this.maxWaiting = backlog;
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        reject(err.code === "EADDRINUSE" ? new ServeError("VX_ADDRESS_IN_USE", `${host}:${port} is already in use`, { cause: err }) : err);
      };
      this.server.once("error", onError);
      this.server.listen({ host, port, backlog }, () => {
        this.server.off("error", onError);
        const address = this.server.address();
        resolve(typeof address === "object" && address !== null ? address.port : port);
      });
    });
  }

  /** Workers connections are handed to, in turn. */
  get size(): number {
    return this.serving.length;
  }

  /** Starts handing connections to `worker` (call once it is ready). */
  add(worker: Worker): void {
    if (!this.serving.includes(worker)) this.serving.push(worker);
    for (const socket of this.waiting.splice(0)) if (!socket.destroyed) this.dispatch(socket, 0);
  }

  /** Stops handing connections to `worker` (it retires or died). Those already sent stay its own. */
  remove(worker: Worker): void {
    this.serving = this.serving.filter((w) => w !== worker);
  }

  /** Stops accepting: the kernel refuses new connections from now on. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.close();
    // Nobody will serve these any more (the server is stopping).
    for (const socket of this.waiting.splice(0)) socket.destroy();
  }

  private dispatch(socket: Socket, attempt: number): void {
    const workers = this.serving;
    if (workers.length === 0 || attempt >= workers.length) {
      // No worker can take it now (all restarting): it waits for the next one, within the backlog.
      if (this.closed || this.waiting.length >= this.maxWaiting) socket.destroy();
      else {
        this.waiting.push(socket);
        socket.once("close", () => {
          const at = this.waiting.indexOf(socket);
          if (at !== -1) this.waiting.splice(at, 1);
        });
      }
      return;
    }
    const worker = workers[this.next++ % workers.length]!;
    const message: ConnectionMessage = { velox: "connection" };
    try {
      worker.send(message, socket, { keepOpen: false }, (err) => {
        if (err !== null && !socket.destroyed) this.dispatch(socket, attempt + 1);
      });
    } catch {
      this.dispatch(socket, attempt + 1);
    }
  }
}
