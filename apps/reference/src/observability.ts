import { security, type Plugin } from "velox";
import { diagnostics, slowRequests } from "velox/diagnostics";
import { accessLog } from "velox/logging";
import { metrics } from "velox/metrics";
import { tracing } from "velox/tracing";
import type { AppSettings } from "./settings.ts";
import { superuser } from "./web/security.ts";

/**
 * The reference app's observability: an access line per request, Prometheus metrics at
 * `/metrics` (summed over every worker under `WORKERS=N`), a trace per request when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set (see main.ts for the exporter), CPU/heap/event-loop
 * diagnostics at `/_diagnostics/*` for superusers with the `admin` scope, and a warning for
 * requests slower than `SLOW_REQUEST_MS`.
 *
 * @example
 * ```ts
 * app.register(observability(settings));
 * ```
 */
export function observability(settings: AppSettings): Plugin {
  const o = settings.observability;
  return (app) => {
    if (o.accessLog) app.register(accessLog({ levelByStatus: true, skip: (ctx) => ctx.route === "/metrics" }));
    app.register(metrics());
    app.register(tracing({ enabled: o.otlpEndpoint !== undefined }));
    app.register(diagnostics({ security: security(superuser, ["admin"]) }));
    if (o.slowRequestMs > 0) app.register(slowRequests({ thresholdMs: o.slowRequestMs }));
  };
}
