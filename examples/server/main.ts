// Production entry point: `npx tsx --conditions=velox-source examples/server/main.ts` in this repository
// (or `node --conditions=velox-source packages/velox/bin/velox.js run examples/server/app.ts`).
// The same script runs in the cluster primary and in every worker; serve() knows which it is.
import { serve } from "velox/server";
import { app, readinessChecks } from "./app.ts";

await serve(app, {
  host: process.env.HOST_ADDRESS ?? "127.0.0.1",
  port: Number(process.env.PORT ?? 8000),
  workers: process.env.WORKERS === undefined ? undefined : Number(process.env.WORKERS),
  trustProxy: "loopback", // a local nginx; use the load balancer's range or hop count in production
  keepAliveTimeout: 65_000, // above the load balancer's idle timeout
  shutdownTimeoutMs: 20_000, // below Kubernetes' terminationGracePeriodSeconds
  limitConcurrency: 1_000,
  maxRequestsPerWorker: 100_000,
  readinessChecks,
});
