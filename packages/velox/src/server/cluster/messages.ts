/** Messages between the primary and its workers, tagged so an app's own IPC traffic is ignored. */
export type WorkerMessage =
  | { velox: "ready"; port: number; pid: number }
  | { velox: "recycle"; requests: number };

/** Messages from the primary to a worker. */
export type PrimaryMessage = { velox: "shutdown"; reason: string };

/** Sent by the primary with an accepted connection as the message's handle. */
export type ConnectionMessage = { velox: "connection" };

/** The environment variable that marks a process as a Velox worker. */
export const WORKER_ENV = "VELOX_WORKER";
/** The port the primary listens on, handed to workers (they serve the connections it hands over). */
export const PORT_ENV = "VELOX_WORKER_PORT";

/** Whether `message` is one of Velox's (and not the app's own IPC). */
export function isVeloxMessage<T extends { velox: string }>(message: unknown, kind: T["velox"]): message is T {
  return typeof message === "object" && message !== null && (message as { velox?: unknown }).velox === kind;
}
