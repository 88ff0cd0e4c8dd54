/**
 * An app with every observability battery on: JSON access logs with redaction and request/trace
 * ids, Prometheus metrics with a custom counter, OpenTelemetry traces, diagnostics behind an API
 * key, and a slow-request log. See docs/logging.md, docs/metrics.md, docs/tracing.md and
 * docs/diagnostics.md.
 */
import { APIKeyHeader, depends, safeCompare, unauthorized, Velox, type Logger } from "velox";
import { diagnostics, slowRequests } from "velox/diagnostics";
import { accessLog, createLogger } from "velox/logging";
import { metrics } from "velox/metrics";
import { traced, tracing } from "velox/tracing";
import type { Tracer } from "@opentelemetry/api";
import { z } from "zod";

export interface ObservedAppOptions {
  logger?: Logger;
  /** Where spans go (default: the global tracer provider, see tracing.ts). */
  tracer?: Tracer;
  /** The key the diagnostics endpoints want in X-Admin-Key. */
  adminKey: string;
}

export function buildApp(options: ObservedAppOptions) {
  const app = new Velox({ title: "observed", logger: options.logger ?? createLogger(), requestScope: true });

  app.register(accessLog({ skip: (ctx) => ctx.route === "/metrics" }));
  const observed = metrics();
  app.register(observed);
  app.register(tracing({ tracer: options.tracer }));
  app.register(slowRequests({ thresholdMs: 250 }));

  const adminKey = APIKeyHeader({ name: "X-Admin-Key" });
  const admin = depends({ deps: { key: adminKey } }, ({ key }) => {
    if (!safeCompare(key, options.adminKey)) throw unauthorized(adminKey);
  });
  app.register(diagnostics({ security: admin }));

  const orders = observed.counter({ name: "shop_orders_total", help: "Orders placed.", labelNames: ["channel"] });
  const priceOf = depends(traced("price lookup", async () => 19.99, { tracer: options.tracer }));

  app.get("/items/{id}", { path: { id: z.int().min(1) } }, ({ path, log }) => {
    log.info({ id: path.id }, "reading item");
    return { id: path.id, name: `item ${path.id}` };
  });

  app.post("/orders", { body: z.object({ item: z.int(), password: z.string().optional() }), status: 201, deps: { price: priceOf } }, ({ body, price, log }) => {
    orders.inc({ channel: "web" });
    log.info({ body }, "order placed"); // the password field is redacted in the log
    return { item: body.item, price };
  });

  app.get("/slow", {}, async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { ok: true };
  });

  app.get("/fail", {}, () => {
    throw new Error("the database is on fire");
  });

  return { app, observed };
}
