/**
 * Streaming responses: Server-Sent Events and JSON Lines. Run it with
 * `npx tsx examples/streaming/app.ts`, then `curl -N http://127.0.0.1:8000/clock` or
 * `curl http://127.0.0.1:8000/prices.jsonl`.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { HTTPException, jsonl, ServerSentEvent, sse, Velox } from "velox";

const Tick = z.object({ n: z.int(), at: z.iso.datetime() }).meta({ id: "Tick" });
const Price = z.object({ sku: z.string(), price: z.number() }).meta({ id: "Price" });

export const app = new Velox({ title: "Streams", version: "1.0.0" });

/** Every `interval` ms one tick; a reconnecting browser resumes after the `Last-Event-ID` it saw. */
app.get("/clock", {
  query: { interval: z.int().min(10).max(60_000).default(1000), count: z.int().min(1).max(1000).default(10) },
  headers: { last_event_id: z.string().regex(/^\d+$/).optional() },
  response: sse(Tick, { keepAlive: 15_000 }),
}, async function* ({ query, headers, signal }) {
  const first = headers.last_event_id === undefined ? 0 : Number(headers.last_event_id) + 1;
  for (let n = first; n < query.count && !signal.aborted; n++) {
    yield new ServerSentEvent({ data: { n, at: new Date().toISOString() }, id: String(n), event: "tick" });
    // Aborted as soon as the client goes away, so the generator ends at once.
    await sleep(query.interval, undefined, { signal }).catch(() => undefined);
  }
});

/** Checks come first (a 404 is still possible), then the stream starts. */
app.get("/orders/{id}/status", { path: { id: z.int().min(1) }, response: sse(z.object({ status: z.string() })) }, async ({ path }) => {
  if (path.id > 100) throw new HTTPException(404, "Order not found");
  return (async function* () {
    for (const status of ["received", "packed", "shipped"]) yield { status };
  })();
});

/** A large export as JSON Lines, one validated row at a time. */
app.get("/prices.jsonl", { response: jsonl(Price) }, function* () {
  for (let i = 1; i <= 3; i++) yield { sku: `SKU-${i}`, price: i * 1.5 };
});

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await app.listen({ port: Number(process.env.PORT ?? 8000) });
  console.log(`Listening on http://127.0.0.1:${(server.address() as { port: number }).port}`);
}
