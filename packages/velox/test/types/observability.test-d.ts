import type { Registry } from "prom-client";
import { describe, expectTypeOf, it } from "vitest";
import { depends, Velox, type Plugin } from "../../src/index.ts";
import { diagnostics, slowRequests } from "../../src/diagnostics/index.ts";
import { accessLog, createLogger, type AccessRecord, type VeloxLogger } from "../../src/logging/index.ts";
import { metrics, type MetricsPlugin } from "../../src/metrics/index.ts";
import { requestSpan, traced, tracing } from "../../src/tracing/index.ts";

describe("observability battery types", () => {
  it("are plugins for app.register", () => {
    const app = new Velox({ logger: createLogger() });
    expectTypeOf(accessLog()).toEqualTypeOf<Plugin>();
    expectTypeOf(tracing()).toEqualTypeOf<Plugin>();
    expectTypeOf(slowRequests({ thresholdMs: 100 })).toEqualTypeOf<Plugin>();
    expectTypeOf(metrics()).toMatchTypeOf<Plugin>();
    app.register(metrics()).register(accessLog()).register(tracing());
    expectTypeOf(createLogger()).toEqualTypeOf<VeloxLogger>();
  });

  it("types custom metrics' labels", () => {
    const observed: MetricsPlugin = metrics();
    expectTypeOf(observed.registry).toEqualTypeOf<Registry>();
    const orders = observed.counter({ name: "orders_total", help: "Orders.", labelNames: ["channel"] as const });
    orders.inc({ channel: "web" });
    // @ts-expect-error: not a label of this counter
    orders.inc({ region: "eu" });
    // @ts-expect-error: the plugin owns `registers`
    observed.gauge({ name: "g", help: "g", registers: [] });
  });

  it("requires a security dependency for diagnostics", () => {
    const admin = depends(() => true);
    diagnostics({ security: admin });
    // @ts-expect-error: no unprotected mode
    diagnostics({});
  });

  it("keeps traced() signatures", () => {
    const load = traced("load", async (id: number, name: string) => ({ id, name }));
    expectTypeOf(load).toEqualTypeOf<(id: number, name: string) => Promise<{ id: number; name: string }>>();
    const app = new Velox();
    app.get("/x", {}, (ctx) => {
      expectTypeOf(requestSpan(ctx)).toMatchTypeOf<{ setAttribute(key: string, value: string): unknown } | undefined>();
      return {};
    });
    expectTypeOf<AccessRecord["route"]>().toEqualTypeOf<string | null>();
  });
});
