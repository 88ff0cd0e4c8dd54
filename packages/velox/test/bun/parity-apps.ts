/**
 * Apps whose HTTP behaviour must be the same on node and on Bun: each export is served by
 * `serve()` in this process (node) and by host.ts in a Bun process, and the same cases run against
 * both (runtime-parity.test.ts).
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import {
  APIKeyHeader, file, FileResponse, HTTPBasic, HTTPException, OAuth2PasswordBearer, PlainTextResponse, StreamingResponse, Velox, depends,
  requireScopes, safeCompare, security, unauthorized,
} from "../../src/index.ts";
import { rateLimit, redisStore } from "../../src/ratelimit/index.ts";

/** Dependencies with cleanup, app-scoped singletons, background tasks, hooks: the events are readable over HTTP. */
export function dependencyApp(): Velox {
  const events: string[] = [];
  const app = new Velox({ logger: false });
  let created = 0;
  const singleton = depends({ scope: "app" }, () => ({ id: ++created }));
  const session = depends(async function* () {
    events.push("session open");
    try {
      yield { id: "s1" };
    } finally {
      events.push("session closed");
    }
  });
  const early = depends({ scope: "function" }, function* () {
    events.push("function open");
    yield "f";
    events.push("function closed");
  });
  const user = depends({ headers: { x_user: z.string().min(2) }, deps: { session } }, ({ headers, session }) => ({ name: headers.x_user, session: session.id }));
  app.addHook("onSend", (_ctx, response) => void response.setHeader("x-hooked", "yes"));
  app.get("/me", { deps: { user, singleton, early } }, ({ user, singleton, early, background }) => {
    background.add(() => void events.push("background ran"));
    return { ...user, singleton: singleton.id, early };
  });
  app.get("/events", {}, () => events.splice(0));
  app.get("/fail", { deps: { session } }, () => {
    throw new HTTPException(409, "conflict", { "x-reason": "test" });
  });
  return app;
}

/** The security schemes, answered as FastAPI answers them. */
export function securityApp(): Velox {
  const app = new Velox({ logger: false });
  const oauth2 = OAuth2PasswordBearer({ tokenUrl: "token", scopes: { "items:read": "Read items" } });
  const current = depends({ deps: { token: oauth2 } }, ({ token, securityScopes }) => {
    if (token !== "good" && token !== "reader") throw unauthorized(oauth2);
    requireScopes(securityScopes, token === "reader" ? ["items:read"] : []);
    return token;
  });
  const basic = HTTPBasic({ realm: "admin" });
  const admin = depends({ deps: { credentials: basic } }, ({ credentials }) => {
    const ok = safeCompare(credentials.username, "admin") && safeCompare(credentials.password, "s3cret");
    if (!ok) throw unauthorized(basic, "Incorrect username or password");
    return credentials.username;
  });
  const key = APIKeyHeader({ name: "X-API-Key" });
  app.get("/items", { deps: { user: security(current, ["items:read"]) } }, ({ user }) => ({ user }));
  app.get("/admin", { deps: { admin } }, ({ admin }) => ({ admin }));
  app.get("/keyed", { deps: { key } }, ({ key }) => ({ key: key.length }));
  return app;
}

/** Bodies, limits and hostile input the parser and the pipeline must refuse. */
export function hardeningApp(): Velox {
  const app = new Velox({ logger: false, bodyLimit: 1024, maxQueryParams: 20 });
  app.post("/json", { body: z.object({ name: z.string() }).passthrough() }, ({ body }) => body);
  app.post("/form", { form: { username: z.string(), scope: z.array(z.string()).default([]) } }, ({ form }) => form);
  app.get("/q", { query: { n: z.int(), tag: z.array(z.string()).default([]) } }, ({ query }) => query);
  app.get("/echo-header", { query: { value: z.string() } }, ({ query, response }) => {
    response.setHeader("x-echo", query.value);
    return { ok: true };
  });
  app.post("/big", { body: z.object({ data: z.string() }), bodyLimit: 64 * 1024 }, ({ body }) => ({ length: body.data.length }));
  app.get("/cookies", { cookies: { session: z.string() } }, ({ cookies }) => cookies);
  // The response model filters the output (on Bun through a projection and JSON.stringify, on node fast-json-stringify).
  const Profile = z.object({ id: z.int(), name: z.string(), nick: z.string().optional(), tags: z.array(z.object({ k: z.string() })), note: z.string().nullable() });
  app.get("/profile", { response: Profile }, () => ({ password: "secret", note: null, tags: [{ k: 'a"\\b', token: "t" }], name: "Ada \ud83d\ude00", id: 1 }));
  app.get("/profile-bad", { response: Profile }, () => ({ id: "1" as unknown as number, name: "Ada", tags: [], note: null }));
  app.get("/set-cookies", {}, ({ response }) => {
    response.setCookie("a", "1").setCookie("b", "2", { httpOnly: true });
    return "ok";
  });
  return app;
}

/** Bodies refused while the client may still be sending them: the 1 MiB default, a 1 MiB file cap. */
export function refusingApp(): Velox {
  const app = new Velox({ logger: false });
  app.get("/health", {}, () => ({ ok: true }));
  app.post("/json", { body: z.object({ s: z.string() }) }, ({ body }) => ({ length: body.s.length }));
  app.post("/upload", { form: { doc: file() }, multipart: { maxFileSize: 1024 * 1024 } }, async ({ form }) => ({ size: (await form.doc.bytes()).length }));
  return app;
}

/** Streams and files. */
export function streamingApp(): Velox {
  const app = new Velox({ logger: false });
  const dir = mkdtempSync(join(tmpdir(), "velox-parity-"));
  const file = join(dir, "hello.txt");
  writeFileSync(file, "0123456789abcdefghij");
  let producerStopped = 0;
  app.get("/count", { query: { to: z.int().max(1000) } }, ({ query }) => new StreamingResponse((async function* () {
    for (let i = 1; i <= query.to; i++) yield `${i}\n`;
  })(), { headers: { "content-type": "text/plain" } }));
  app.get("/forever", {}, () => new StreamingResponse((async function* () {
    try {
      for (;;) {
        yield "tick\n";
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      producerStopped++;
    }
  })()));
  app.get("/stopped", {}, () => ({ producerStopped }));
  // A handler still waiting after its body was read: a client that leaves aborts its signal.
  let waitsAborted = 0;
  app.post("/wait", { body: z.object({ ms: z.int().max(5000) }) }, async ({ body, signal }) => {
    await new Promise<void>((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        waitsAborted++;
        resolve();
      };
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      }, body.ms);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    return { waited: body.ms };
  });
  app.get("/waits-aborted", {}, () => ({ waitsAborted }));
  app.get("/file", {}, () => new FileResponse(file, { filename: "hello.txt" }));
  app.get("/text", {}, () => new PlainTextResponse("plain"));
  app.get("/digest", { query: { s: z.string() } }, ({ query }) => ({ sha256: createHash("sha256").update(query.s).digest("hex") }));
  return app;
}

/** Which process answered, a slow route for drains, and a lifespan whose cleanup is reported on stderr. */
export function processApp(): Velox {
  const app = new Velox({
    logger: false,
    lifespan: async function* () {
      yield;
      process.stderr.write(`lifespan cleanup ${process.pid}\n`);
    },
  });
  app.get("/pid", {}, () => ({ pid: process.pid }));
  app.get("/slow", { query: { ms: z.int().max(5000) } }, async ({ query }) => {
    await new Promise((r) => setTimeout(r, query.ms));
    return { done: true, pid: process.pid };
  });
  return app;
}

/**
 * velox/ratelimit on the shared Redis over the store's own connection (node:net with `onread`, on
 * Bun too): 5 a minute per `x-client`, in a prefix of this instance's own.
 */
export function redisLimitApp(): Velox {
  const limiter = rateLimit({
    name: "parity",
    limit: 5,
    windowMs: 60_000,
    key: (ctx) => ctx.req.headers["x-client"] as string | undefined,
    store: redisStore({ url: process.env.VELOX_TEST_REDIS_URL ?? "redis://127.0.0.1:6379", prefix: `velox-test:rl-parity:${randomUUID()}:`, timeoutMs: 2_000 }),
    failure: "closed",
  });
  const app = new Velox({ logger: false });
  app.addHook("onClose", () => limiter.close());
  app.get("/limited", { hooks: limiter.hooks }, () => ({ ok: true }));
  return app;
}
