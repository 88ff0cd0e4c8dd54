import { Velox, currentRequest } from "velox";

/** Startup and shutdown in one place: the yielded object becomes `app.state`. */
export const events: string[] = [];

export const app = new Velox({
  title: "Middleware and lifespan example",
  requestScope: true,
  lifespan: async function* () {
    events.push("startup");
    yield { startedAt: new Date(0).toISOString() };
    events.push("shutdown");
  },
});

/** Timing middleware: runs around every request, 404s included. */
app.use(async (ctx, next) => {
  const start = performance.now();
  await next();
  ctx.result?.setHeader("server-timing", `app;dur=${(performance.now() - start).toFixed(2)}`);
});

/** Anything deeper in the request can find its context without passing it around. */
function requestIdForLogs(): string {
  return currentRequest()?.requestId ?? "none";
}

app.get("/", {}, ({ app }) => ({ startedAt: app.state.startedAt, requestId: requestIdForLogs() }));
