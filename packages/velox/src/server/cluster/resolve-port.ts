import { createServer } from "node:net";
import { ServeError } from "../serve-error.ts";

/**
 * Binds `host:port` once in the primary and releases it: a port in use fails before any worker
 * starts, and `port: 0` becomes one concrete port that every worker (and every replacement) shares.
 *
 * @example
 * ```ts
 * const port = await resolvePort("127.0.0.1", 0); // e.g. 41235
 * ```
 */
export function resolvePort(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (err: NodeJS.ErrnoException) => {
      reject(err.code === "EADDRINUSE"
        ? new ServeError("VX_ADDRESS_IN_USE", `${host}:${port} is already in use`, { cause: err })
        : err);
    });
    probe.listen({ host, port, exclusive: true }, () => {
      const address = probe.address();
      const bound = typeof address === "object" && address !== null ? address.port : port;
      probe.close(() => resolve(bound));
    });
  });
}
