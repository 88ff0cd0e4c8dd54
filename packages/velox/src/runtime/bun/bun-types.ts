/** The parts of Bun's API the Bun runtime path uses (no dependency on Bun's type package). */
export interface BunSocketAddress {
  address: string;
  port: number;
  family?: string;
}

/** A running `Bun.serve` server. */
export interface BunServer {
  readonly port: number;
  readonly hostname: string;
  readonly pendingRequests: number;
  requestIP(request: Request): BunSocketAddress | null;
  stop(closeActiveConnections?: boolean): Promise<void> | void;
  upgrade?(request: Request, options?: { headers?: ConstructorParameters<typeof Headers>[0]; data?: unknown }): boolean;
}

/** Options of `Bun.serve` that Velox sets. */
export interface BunServeOptions {
  port: number;
  hostname: string;
  reusePort?: boolean;
  maxRequestBodySize?: number;
  idleTimeout?: number;
  development?: boolean;
  fetch(request: Request, server: BunServer): Response | Promise<Response | undefined> | undefined;
  error?(error: Error): Response | Promise<Response>;
  websocket?: unknown;
}

/** `globalThis.Bun`, the little of it Velox calls. */
export interface BunGlobal {
  version: string;
  serve(options: BunServeOptions): BunServer;
}

/**
 * Bun's global when running under Bun, else undefined.
 *
 * @example
 * ```ts
 * if (bunRuntime()) console.log("on Bun", bunRuntime()!.version);
 * ```
 */
export function bunRuntime(): BunGlobal | undefined {
  return (globalThis as { Bun?: BunGlobal }).Bun;
}
