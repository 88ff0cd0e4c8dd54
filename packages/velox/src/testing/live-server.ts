import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** An app served on a real socket for integration tests. */
export interface LiveServer {
  server: Server;
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves an app on an ephemeral port of 127.0.0.1, for tests that need node's real HTTP parser
 * (timeouts, oversized headers, malformed requests).
 *
 * @example
 * ```ts
 * const live = await serveForTest(app);
 * const res = await fetch(`${live.url}/items/1`);
 * await live.close();
 * ```
 */
export async function serveForTest(
  app: { listen(options: Record<string, unknown>): Promise<Server>; close(): Promise<void> },
  options: Record<string, unknown> = {},
): Promise<LiveServer> {
  const server = await app.listen({ ...options, port: 0, host: "127.0.0.1" });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await app.close();
    },
  };
}
