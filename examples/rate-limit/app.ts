// Rate limits with velox/ratelimit: one for the whole API per client address, a tight one on
// login per username, and a per-API-key quota on a router. In memory here; set REDIS_URL to share
// the counts between workers (at most one Lua script call per request).
// Run: `node --conditions=velox-source packages/velox/bin/velox.js run examples/rate-limit/app.ts`
import { z } from "zod";
import { Router, Velox } from "velox";
import { metrics } from "velox/metrics";
import { byHeader, memoryStore, rateLimit, rateLimitMetrics, redisStore } from "velox/ratelimit";

const store = process.env.REDIS_URL ? redisStore({ url: process.env.REDIS_URL, prefix: "example:rl:" }) : memoryStore();
const failure = "open" as const; // with Redis gone: let requests through (login below fails closed)

/** 60 requests a minute per client address (X-Forwarded-For only through the server's trustProxy). */
export const perAddress = rateLimit({ name: "api", limit: 60, windowMs: 60_000, store, failure });
/** 3 login attempts a minute per username, whatever address they come from. */
export const perUsername = rateLimit({ name: "login", limit: 3, windowMs: 60_000, store, failure: "closed", detail: "Too many login attempts" });
/** 5 requests a minute per API key on /reports. */
export const perKey = rateLimit({ name: "reports", limit: 5, windowMs: 60_000, store, failure, key: byHeader("x-api-key") });

export const app = new Velox({ title: "Rate-limit example" });
// GET /metrics: velox_ratelimit_decisions_total{limiter, outcome} for the three limiters.
const observed = metrics({ defaultMetrics: false });
app.register(observed);
rateLimitMetrics(observed, perAddress, perUsername, perKey);
app.register(perAddress);
app.addHook("onClose", () => perAddress.close());

const loginAttempt = perUsername.keyed({ form: { username: z.string().min(1).max(150) } }, ({ form }) => form.username.toLowerCase());

app.post(
  "/login",
  { deps: { limit: loginAttempt }, form: { username: z.string().min(1).max(150), password: z.string() }, responses: perUsername.responses },
  ({ form, limit }) => ({ user: form.username, attemptsLeft: limit?.remaining }),
);

const reports = new Router({ prefix: "/reports", responses: perKey.responses });
perKey(reports);
reports.get("/daily", {}, () => ({ report: "daily", rows: 3 }));
app.include(reports);

app.get("/hello", { responses: perAddress.responses }, () => ({ message: "Hello" }));
