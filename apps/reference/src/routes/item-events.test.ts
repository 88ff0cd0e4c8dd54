import { expect, it } from "vitest";
import { describeEachApp } from "../testing/app-harness.ts";

interface Event {
  event?: string;
  id?: string;
  data?: unknown;
}

/** Opens the stream and collects parsed events as they arrive. */
async function openEvents(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const events: Event[] = [];
  let buffer = "";
  const reading = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: Event = {};
          for (const line of block.split("\n")) {
            if (line.startsWith("event: ")) event.event = line.slice(7);
            else if (line.startsWith("id: ")) event.id = line.slice(4);
            else if (line.startsWith("data: ")) event.data = JSON.parse(line.slice(6));
          }
          if (event.event !== undefined) events.push(event);
        }
      }
    } catch {
      // closed by the test
    }
  })();
  return {
    res,
    events,
    close: async () => {
      controller.abort();
      await reading;
    },
  };
}

describeEachApp("GET /items/events", (t) => {
  it("streams the user's own item changes as they happen, and resumes from Last-Event-ID", async () => {
    const base = await t.url();
    const ada = await t.login("ada");
    const bob = await t.login("bob");
    const stream = await openEvents(`${base}/items/events`, ada.auth.headers);
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    await expect.poll(() => t.services.itemEvents.subscriptions).toBe(1);
    const created = (await t.client.post("/items", { ...ada.auth, json: { title: "Lamp", price: 3 } })).json();
    await t.client.post("/items", { ...bob.auth, json: { title: "Not yours", price: 1 } });
    await t.client.patch(`/items/${created.id}`, { ...ada.auth, json: { price: 4 } });
    await t.client.delete(`/items/${created.id}`, ada.auth);
    await expect.poll(() => stream.events.length).toBe(3);
    expect(stream.events.map((e) => e.event)).toEqual(["created", "updated", "deleted"]);
    expect(stream.events[0]!.data).toEqual({ type: "created", item_id: created.id, item: created });
    expect(stream.events[1]!.data).toMatchObject({ type: "updated", item: { id: created.id, price: 4 } });
    expect(stream.events[2]!.data).toEqual({ type: "deleted", item_id: created.id, item: null });
    await stream.close();
    await expect.poll(() => t.services.itemEvents.subscriptions, { timeout: 1000 }).toBe(0);

    const resumed = await openEvents(`${base}/items/events`, { ...ada.auth.headers, "last-event-id": stream.events[0]!.id! });
    await expect.poll(() => resumed.events.length).toBe(2);
    expect(resumed.events.map((e) => e.event)).toEqual(["updated", "deleted"]);
    await resumed.close();
  });

  it("needs a token with the read scope", async () => {
    const base = await t.url();
    const res = await fetch(`${base}/items/events`);
    expect(res.status).toBe(401);
    await res.arrayBuffer();
  });
});
