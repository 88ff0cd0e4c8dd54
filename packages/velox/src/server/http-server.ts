import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { ResolvedServeOptions } from "./options.ts";
import type { ConnectionTracker } from "./connections.ts";
import { setSocketTrust, type TrustFn } from "./trust-proxy.ts";

/** The limits node's server enforces itself. */
export type ServerLimits = Pick<
  ResolvedServeOptions,
  "headersTimeout" | "requestTimeout" | "keepAliveTimeout" | "connectionsCheckingInterval" | "maxHeaderSize" | "maxConnections"
>;

/**
 * Creates node's HTTP server with Velox's limits, tracking every connection (for the drain) and
 * recording the proxy-trust setting on it (for `clientAddress`).
 *
 * @example
 * ```ts
 * const server = createLimitedServer(gate.handler, resolved, connections, compileTrust(1));
 * server.listen(8000);
 * ```
 */
export function createLimitedServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  limits: ServerLimits,
  connections: ConnectionTracker,
  trust: TrustFn | null,
): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeout,
      requestTimeout: limits.requestTimeout,
      connectionsCheckingInterval: limits.connectionsCheckingInterval,
      maxHeaderSize: limits.maxHeaderSize,
      requireHostHeader: true,
    },
    handler,
  );
  server.keepAliveTimeout = limits.keepAliveTimeout;
  if (limits.maxConnections > 0) server.maxConnections = limits.maxConnections;
  server.on("connection", (socket) => {
    connections.add(socket);
    if (trust !== null) setSocketTrust(socket, trust);
  });
  return server;
}
