import FindMyWay from "find-my-way";
import { parse as parseQuery } from "fast-querystring";
import type { Velox } from "../app.ts";
import type { RawSource } from "../params/raw-inputs.ts";
import { JSONResponse } from "../responses/simple.ts";
import { mountAsyncAPI } from "./asyncapi-mount.ts";
import { WebSocketEngine, type CompiledWebSocketRoute } from "./engine.ts";
import { prepareHandshake } from "./handshake.ts";
import type { ConnectionContext } from "./handler-context.ts";
import { compileCodec } from "./message-codec.ts";
import { resolveLimits } from "./options.ts";
import { rejectHandshake, type HandshakeRejection } from "./reject-handshake.ts";
import { upgradeRefusal } from "../upgrade.ts";

const samePattern = (pattern: string) => pattern.replace(/:[A-Za-z_][A-Za-z0-9_]*/g, ":");

/**
 * Installs the WebSocket engine on an app that has `ws()` routes; `ready()` calls it (importing
 * this module, and so `ws`, only then). It compiles each route's limits and message codec, routes
 * upgrades by path (an upgrade to a path only HTTP routes serve is 405, to an unknown one 404,
 * the socket closed either way), answers a plain GET to a WebSocket path with 426, runs each
 * handshake through the core's dependency solving, closes every connection with 1001 when
 * shutdown begins (`preClose`, waiting for handlers up to `drainTimeoutMs`), and serves the
 * AsyncAPI document.
 *
 * @example
 * ```ts
 * app.ws("/echo", {}, async (socket) => { for await (const m of socket) await socket.send(m); });
 * await app.ready(); // mountWebSockets(app) ran: app.upgrade now reaches the engine
 * ```
 */
export function mountWebSockets(app: Velox): WebSocketEngine {
  const options = app.config.websocket ?? {};
  const engine = new WebSocketEngine(app.logger);
  const optimize = app.config.compileSchemas ?? true;
  const maxParams = app.config.maxQueryParams ?? 1000;
  const table = FindMyWay({ ignoreTrailingSlash: false, caseSensitive: true, maxParamLength: 2048, querystringParser: (q: string) => parseQuery(q) as RawSource });
  const records = app.wsRecords;
  const routes: CompiledWebSocketRoute<ConnectionContext>[] = records.map((record, index) => {
    const where = `WS ${record.template.template}`;
    const { config } = record;
    table.on("GET", record.template.pattern, () => {}, { index });
    const handler = record.handler as (socket: unknown, ctx: ConnectionContext) => unknown;
    return engine.compile<ConnectionContext>({
      where,
      limits: resolveLimits(where, options.limits, config.limits),
      codec: compileCodec(config.message, config.send, optimize),
      onInvalidMessage: config.onInvalidMessage ?? "error",
      // "bearer" answers the Sec-WebSocket-Protocol token convention (browsers fail a handshake
      // whose offered protocols the server ignores).
      subprotocols: [...(config.subprotocols ?? []), "bearer"],
      handler: (socket, ctx) => {
        ctx._socket = socket;
        return handler(socket, ctx);
      },
    });
  });

  const served = new Set(app.routes.filter((r) => r.method === "GET").map((r) => samePattern(r.template.pattern)));
  for (const record of records) {
    if (served.has(samePattern(record.template.pattern))) continue;
    served.add(samePattern(record.template.pattern));
    app.addInternalRoute("GET", record.template.template, { includeInSchema: false }, () =>
      new JSONResponse({ detail: "Upgrade Required" }, { status: 426, headers: { upgrade: "websocket", connection: "Upgrade" } }));
  }

  type Found = { index: number; params: RawSource; query: RawSource } | HandshakeRejection;
  const find = (url: string): Found => {
    const match = table.find("GET", url);
    if (match === null) {
      const q = url.indexOf("?");
      const allowed = app.httpMethodsFor(q === -1 ? url : url.slice(0, q));
      if (allowed.length === 0) return { status: 404 };
      return { status: 405, headers: { allow: allowed.join(", ") } };
    }
    const query = match.searchParams as RawSource;
    if (Object.keys(query).length > maxParams) return { status: 413, body: '{"detail":"Too many query parameters"}' };
    return { index: (match.store as { index: number }).index, params: { ...(match.params as RawSource) }, query };
  };

  app.setUpgradeHandler(
    (req, socket, head) => {
      const found = find(req.url ?? "/");
      if (!("index" in found)) return rejectHandshake(socket, found);
      const { index, params, query } = found;
      engine.upgrade(routes[index]!, req, socket, head, (_, signal) => prepareHandshake(app, app.wsPlans[index]!, req, params, query, signal));
    },
    // On Bun (Bun.serve): the same routing and handshake, upgraded to Bun's native WebSocket.
    {
      handle: (upgrade) => {
        const found = find(upgrade.req.url ?? "/");
        if (!("index" in found)) return upgradeRefusal(found.status, found.headers as Record<string, string> | undefined, found.body);
        const { index, params, query } = found;
        return engine.upgradeFetch(routes[index]!, upgrade, (_, signal) => prepareHandshake(app, app.wsPlans[index]!, upgrade.req, params, query, signal));
      },
      socketLimits: {
        maxPayloadLength: Math.max(...routes.map((r) => r.spec.limits.maxPayload)),
        backpressureLimit: Math.max(...routes.map((r) => r.spec.limits.maxBufferedAmount)),
        perMessageDeflate: routes.some((r) => r.spec.limits.perMessageDeflate),
      },
    },
  );

  app.addHook("preClose", async () => {
    const clean = await engine.shutdown(Date.now() + (options.drainTimeoutMs ?? 10_000));
    if (!clean) app.logger.warn({ open: engine.size }, "websocket handlers still running at the drain deadline; their sockets were cut");
  });
  mountAsyncAPI(app);
  return engine;
}
