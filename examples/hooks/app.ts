import { JSONResponse, Router, Velox, type Plugin } from "velox";
import { z } from "zod";

/** A plugin: a timing header on every response and a line per request, through hooks (no middleware). */
export const timing: Plugin = (app) => {
  app.addHook("onRequest", (ctx) => {
    ctx.state.start = performance.now();
  });
  app.addHook("onSend", (ctx, response) => {
    const seconds = (performance.now() - (ctx.state.start as number)) / 1000;
    response.setHeader("x-process-time", seconds.toFixed(6));
  });
};

export const seen: string[] = [];

export const app = new Velox({ title: "Hooks example", logger: false });
app.register(timing);
app.addHook("onResponse", (_ctx, info) => {
  seen.push(`${info.method} ${info.route ?? "(unmatched)"} ${info.status}`);
});

/** A router whose routes refuse requests without an API key, before the body is even read. */
const admin = new Router({ prefix: "/admin" });
admin.addHook("onRequest", (ctx) => {
  if (ctx.req.headers["x-api-key"] !== "letmein") return new JSONResponse({ detail: "Forbidden" }, { status: 403 });
});
admin.post("/notes", { body: z.object({ text: z.string().min(1) }), status: 201 }, ({ body }) => ({ saved: body.text }));
app.include(admin);

app.get("/hello", { query: { name: z.string().default("world") } }, ({ query }) => ({ message: `Hello, ${query.name}!` }));
