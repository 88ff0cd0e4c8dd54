/**
 * `velox/server`: production serving for Velox apps — `serve()` with workers, graceful shutdown,
 * limits, load shedding, health and readiness probes — and the helpers a handler needs behind
 * proxies. The `velox` CLI (`velox run`, `velox dev`) is built on it.
 *
 * @module
 */
export { serve } from "./serve.ts";
export type { ServeOptions, ResolvedServeOptions } from "./options.ts";
export { resolveServeOptions } from "./options.ts";
export type { ServerHandle } from "./server-handle.ts";
export type { ServableApp } from "./running-server.ts";
export type { ReadinessCheck, CheckResult, ReadinessReport } from "./readiness.ts";
export { clientAddress, requestProtocol, requestHost, compileTrust, type TrustProxy, type TrustFn } from "./trust-proxy.ts";
export { ServeError, type ServeErrorCode } from "./serve-error.ts";
