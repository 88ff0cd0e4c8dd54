/**
 * Run: npx tsx examples/observability/main.ts (or velox run examples/observability/main.ts --workers 2)
 * then: curl localhost:8000/items/5; curl localhost:8000/metrics;
 *       curl -H "X-Admin-Key: change-me" localhost:8000/_diagnostics/event-loop
 */
import { serve } from "velox/server";
import { buildApp } from "./app.ts";
import { startTracing } from "./tracing.ts";

const otel = startTracing();
const { app } = buildApp({ adminKey: process.env.ADMIN_KEY ?? "change-me" });
app.addHook("onClose", () => otel?.shutdown());

export default app;

if (import.meta.url === `file://${process.argv[1]}`) await serve(app, { port: Number(process.env.PORT ?? 8000), workers: 0 });
