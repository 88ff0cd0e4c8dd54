import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { depends, Router, Velox } from "../../src/index.ts";
import { WebSocketBearer, type WebSocketConnection } from "../../src/websocket/index.ts";

describe("app.ws types", () => {
  it("types the socket from message/send and the context from params and deps", () => {
    const app = new Velox();
    const user = depends({ deps: { token: WebSocketBearer() } }, ({ token }) => ({ name: token }));
    app.ws("/ws/{room}", {
      path: { room: z.string() },
      query: { limit: z.int().default(10) },
      deps: { user },
      message: z.object({ content: z.string() }),
      send: z.object({ echo: z.string() }),
    }, async (socket, ctx) => {
      expectTypeOf(ctx.path.room).toEqualTypeOf<string>();
      expectTypeOf(ctx.query.limit).toEqualTypeOf<number>();
      expectTypeOf(ctx.user).toEqualTypeOf<{ name: string }>();
      expectTypeOf(await socket.receive()).toEqualTypeOf<{ content: string }>();
      for await (const m of socket) expectTypeOf(m.content).toEqualTypeOf<string>();
      expectTypeOf(socket.send).parameter(0).toEqualTypeOf<{ echo: string }>();
      // @ts-expect-error a field the send schema does not have
      await socket.send({ echo: 1 });
    });
  });

  it("without schemas: template params are strings, messages are string | Buffer", () => {
    new Router().ws("/feed/{topic}", (socket, ctx) => {
      expectTypeOf(ctx.path.topic).toEqualTypeOf<string>();
      expectTypeOf(socket).toEqualTypeOf<WebSocketConnection<string | Buffer, unknown>>();
      // @ts-expect-error no such path parameter
      void ctx.path.nope;
      // The handler's context is the light one: req without the released headers, the connection's signal.
      expectTypeOf(ctx.req.url).toEqualTypeOf<string>();
      expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
      expectTypeOf(ctx.requestId).toEqualTypeOf<string>();
      // @ts-expect-error the headers go with the request: declare them in the route's "headers"
      void ctx.req.headers;
      // @ts-expect-error internals are not part of the handler's context
      void ctx._rt;
    });
  });
});
