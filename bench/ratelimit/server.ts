/**
 * One server of the rate-limit rows, picked by `--variant`: the same GET /hello on Velox or
 * Fastify, without a limiter or with one (memory or Redis). Limits are far above what a run
 * sends, so every response is a 200 and the rows measure the limiter's cost, not 429s.
 */
import { parseArgs } from "node:util";
import Fastify from "fastify";
import fastifyRateLimit from "@fastify/rate-limit";
import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import { HTTPException, Velox } from "velox";
import { rateLimit, redisStore } from "velox/ratelimit";

const { values } = parseArgs({ options: { variant: { type: "string" }, port: { type: "string" }, prefix: { type: "string" }, "timeout-ms": { type: "string" }, "key-header": { type: "string" } } });
// The Redis store's timeout: its default (100 ms) for wall-clock runs; the instruction counts run
// under valgrind, 50 times slower, where 100 ms would turn round trips into timeouts.
const timeoutMs = Number(values["timeout-ms"] ?? 100);
const variant = values.variant ?? "velox";
const port = Number(values.port ?? 0); // 0: a free port, reported to the harness
const prefix = values.prefix ?? `velox-bench:rl:${process.pid}:`;
const REDIS_URL = process.env.VELOX_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const LIMIT = 1_000_000_000;
const WINDOW_MS = 60_000;
const hello = { message: "Hello, World!" };
// With --key-header, every limiter counts per value of that request header (the many-clients rows:
// wrk sends thousands of distinct values), else per client address (one client: wrk's).
const keyHeader = values["key-header"];
const keyOf = (req: { headers: Record<string, unknown>; socket: { remoteAddress?: string } }): string => (keyHeader === undefined ? undefined : (req.headers[keyHeader] as string | undefined)) ?? req.socket.remoteAddress ?? "";
const veloxKey = keyHeader === undefined ? {} : { key: (ctx: { req: Parameters<typeof keyOf>[0] }) => keyOf(ctx.req) };

async function velox(): Promise<number> {
  const app = new Velox({ logger: false });
  const hooks = (() => {
    if (variant === "velox-memory") return rateLimit({ limit: LIMIT, windowMs: WINDOW_MS, ...veloxKey }).hooks;
    if (variant === "velox-memory-no-headers") return rateLimit({ limit: LIMIT, windowMs: WINDOW_MS, headers: false, ...veloxKey }).hooks;
    if (variant === "velox-noop-hook") return { onRequest: () => undefined };
    // The core's cost of an asynchronous hook alone: one resolved promise, then one deferred to the next turn (what any store with I/O pays).
    if (variant === "velox-async-hook") return { onRequest: () => Promise.resolve(undefined) };
    if (variant === "velox-immediate-hook") return { onRequest: () => new Promise<undefined>((resolve) => setImmediate(resolve, undefined)) };
    // The cost of two response headers alone (fixed strings), to split the limiter's own work from the header path.
    if (variant === "velox-two-headers") {
      return {
        onRequest: (ctx: { response: { headers: Record<string, string | string[]> } }) => {
          const headers = ctx.response.headers;
          headers.ratelimit = '"default";r=999999999;t=60';
          headers["ratelimit-policy"] = '"default";q=1000000000;w=60';
        },
      };
    }
    if (variant === "velox-redis") return rateLimit({ limit: LIMIT, windowMs: WINDOW_MS, store: redisStore({ url: REDIS_URL, prefix, timeoutMs }), failure: "open", ...veloxKey }).hooks;
    if (variant === "velox-redis-no-headers") return rateLimit({ limit: LIMIT, windowMs: WINDOW_MS, store: redisStore({ url: REDIS_URL, prefix, timeoutMs }), failure: "open", headers: false, ...veloxKey }).hooks;
    if (variant === "velox-rlf-memory" || variant === "velox-rlf-redis") {
      const limiter: RateLimiterAbstract =
        variant === "velox-rlf-memory"
          ? new RateLimiterMemory({ points: LIMIT, duration: WINDOW_MS / 1000 })
          : new RateLimiterRedis({ storeClient: new Redis(REDIS_URL), keyPrefix: prefix, points: LIMIT, duration: WINDOW_MS / 1000 });
      return {
        onRequest: async (ctx: { req: Parameters<typeof keyOf>[0] }) => {
          await limiter.consume(keyOf(ctx.req)).catch(() => {
            throw new HTTPException(429, "Too many requests");
          });
        },
      };
    }
    return undefined;
  })();
  app.get("/hello", hooks ? { hooks } : {}, () => hello);
  app.get("/json", hooks ? { hooks } : {}, () => hello); // the instruction harness's readiness probe
  const server = await app.listen({ port, host: "127.0.0.1" });
  return (server.address() as { port: number }).port;
}

async function fastify(): Promise<number> {
  const app = Fastify({ logger: false });
  if (variant === "fastify-rate-limit") await app.register(fastifyRateLimit, { max: LIMIT, timeWindow: WINDOW_MS, keyGenerator: (req) => keyOf({ headers: req.headers, socket: req.socket }) });
  if (variant === "fastify-rate-limit-redis") await app.register(fastifyRateLimit, { max: LIMIT, timeWindow: WINDOW_MS, redis: new Redis(REDIS_URL), nameSpace: prefix, keyGenerator: (req) => keyOf({ headers: req.headers, socket: req.socket }) });
  app.get("/hello", async () => hello);
  app.get("/json", async () => hello);
  await app.listen({ port, host: "127.0.0.1" });
  return (app.server.address() as { port: number }).port;
}

const listening = await (variant.startsWith("fastify") ? fastify() : velox());
// The harness asks for this process's CPU time around each measurement: CPU per request is far
// less sensitive than req/s to the other processes of a shared machine.
process.on("message", (message) => {
  if (message === "cpu") process.send?.(process.cpuUsage());
});
process.send?.({ port: listening });
