import { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { depends, Velox } from "../../src/index.ts";
import { handshake } from "./raw-ws.ts";
import { useServedApps } from "./served-apps.ts";

// The context a WebSocket handler keeps for the connection's life is a light one: what it still
// offers after the handshake, over a real socket.

const { startPort: start } = useServedApps();

describe("the handler's connection context", () => {
  it("keeps the inputs, dependencies, state, request id and the handshake's method/url/socket, not the IncomingMessage or its headers", async () => {
    const app = new Velox({ logger: false });
    let seenInDependency: unknown = null;
    const who = depends(function who({ req, state, signal }) {
      seenInDependency = { isRequest: req instanceof IncomingMessage, aborted: signal.aborted };
      state.fromDependency = "dep";
      return "ada";
    });
    app.addHook("onRequest", (ctx) => {
      ctx.state.fromHook = "hook";
    });
    let kept: Record<string, unknown> | null = null;
    app.ws("/ctx/{room}", { path: { room: z.string() }, query: { n: z.int() }, headers: { "x-trace": z.string() }, deps: { who } }, async (socket, ctx) => {
      kept = {
        path: ctx.path,
        query: ctx.query,
        headers: ctx.headers,
        who: ctx.who,
        state: { ...ctx.state },
        requestId: ctx.requestId,
        method: ctx.method,
        url: ctx.url,
        req: Object.keys(ctx.req).sort(),
        isRequest: (ctx.req as unknown) instanceof IncomingMessage,
        rawHeaders: (() => {
          try {
            return (ctx.req as unknown as { headers: unknown }).headers;
          } catch (err) {
            return (err as { code: string }).code;
          }
        })(),
        remote: ctx.req.socket.remoteAddress,
        route: ctx.route,
      };
      await socket.send("ready");
      await socket.closed;
    });
    const port = await start(app);
    const res = await handshake(port, "/ctx/lobby?n=3", { headers: { "x-trace": "t-1", "x-request-id": "rid-7" } });
    expect(res.status).toBe(101);
    expect((await res.conn!.next()).payload.toString()).toBe("ready");
    expect(seenInDependency).toEqual({ isRequest: true, aborted: false });
    expect(kept).toEqual({
      path: { room: "lobby" },
      query: { n: 3 },
      headers: { "x-trace": "t-1" },
      who: "ada",
      state: { fromHook: "hook", fromDependency: "dep" },
      requestId: "rid-7",
      method: "GET",
      url: "/ctx/lobby?n=3",
      req: ["httpVersion", "method", "socket", "url"],
      isRequest: false,
      // Released with the request: the route declares the headers it keeps.
      rawHeaders: "VX_HEADERS_RELEASED",
      remote: "127.0.0.1",
      route: "/ctx/{room}",
    });
  });

  it("ctx.signal is the connection's: aborted once the client has gone", async () => {
    const app = new Velox({ logger: false });
    let signal: AbortSignal | null = null;
    const aborted = new Promise<unknown>((resolve) => {
      app.ws("/sig", {}, async (socket, ctx) => {
        signal = ctx.signal;
        ctx.signal.addEventListener("abort", () => resolve(ctx.signal.reason));
        await socket.send("ready");
        await socket.closed;
      });
    });
    const port = await start(app);
    const res = await handshake(port, "/sig");
    await res.conn!.next();
    expect(signal!.aborted).toBe(false);
    res.socket.destroy();
    const reason = await aborted;
    expect(signal!.aborted).toBe(true);
    expect((reason as { code: number }).code).toBe(1006);
  });
});
