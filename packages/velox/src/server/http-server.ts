import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { ResolvedServeOptions } from "./options.ts";
import type { ConnectionTracker } from "./connections.ts";
import { setSocketTrust, type TrustFn } from "./trust-proxy.ts";

/** The limits node's server enforces itself. */
export type ServerLimits = Pick<
  ResolvedServeOptions,
  "headersTimeout" | "requestTimeout" | "keepAliveTimeout" | "connectionsCheckingInterval" | "maxHeaderSize" | "maxHeadersCount" | "maxConnections"
>;

/**
 * Creates node's HTTP server with Velox's limits, tracking every connection (for the drain) and
 * recording the proxy-trust setting on it (for `clientAddress`). Node enforces the timeouts, the
 * head's size and a Host header's presence (`requireHostHeader`); `joinDuplicateHeaders` makes
 * a repeated header one comma-joined value (RFC 9110 §5.3) instead of node's silent first-wins,
 * so the gate can see a second Host; `maxHeadersCount` (one more than the limit, so the gate can
 * tell "too many" from "exactly as many") stops node collecting the surplus.
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
      joinDuplicateHeaders: true,
    },
    handler,
  );
  server.keepAliveTimeout = limits.keepAliveTimeout;
  if (limits.maxHeadersCount > 0) server.maxHeadersCount = limits.maxHeadersCount + 1;
  if (limits.maxConnections > 0) server.maxConnections = limits.maxConnections;
  server.on("connection", (socket) => {
    connections.add(socket);
    if (trust !== null) setSocketTrust(socket, trust);
  });
  return server;
}
