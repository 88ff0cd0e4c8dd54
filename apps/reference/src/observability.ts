import { security, type Plugin } from "velox";
import { diagnostics, slowRequests } from "velox/diagnostics";
import { accessLog } from "velox/logging";
import { cacheMetrics } from "velox/cache";
import { metrics } from "velox/metrics";
import { rateLimitMetrics, type RateLimiter } from "velox/ratelimit";
import { tracing } from "velox/tracing";
import type { Services } from "./services.ts";
import type { AppSettings } from "./settings.ts";
import { superuser } from "./web/security.ts";

/**
 * The reference app's observability: an access line per request, Prometheus metrics at
 * `/metrics` (summed over every worker under `WORKERS=N`), a trace per request when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set (see main.ts for the exporter), CPU/heap/event-loop
 * diagnostics at `/_diagnostics/*` for superusers with the `admin` scope, and a warning for
 * requests slower than `SLOW_REQUEST_MS`. The item cache's hits, misses and Redis state join the
 * metrics once the lifespan has opened it; the login limiters' decisions
 * (`velox_ratelimit_decisions_total`) from the start.
 *
 * @example
 * ```ts
 * app.register(observability(settings));
 * ```
 */
export function observability(settings: AppSettings, limiters: readonly RateLimiter[] = []): Plugin {
  const o = settings.observability;
  return (app) => {
    if (o.accessLog) app.register(accessLog({ levelByStatus: true, skip: (ctx) => ctx.route === "/metrics" }));
    const observed = metrics();
    app.register(observed);
    if (limiters.length > 0) rateLimitMetrics(observed, ...limiters);
    app.addHook("onReady", (ready) => {
      const services = ready.state.services as Services | undefined;
      if (services !== undefined) cacheMetrics(observed, services.cache);
    });
    app.register(tracing({ enabled: o.otlpEndpoint !== undefined }));
    app.register(diagnostics({ security: security(superuser, ["admin"]) }));
    if (o.slowRequestMs > 0) app.register(slowRequests({ thresholdMs: o.slowRequestMs }));
  };
}
