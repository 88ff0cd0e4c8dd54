import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveForTest, TestClient, type LiveServer } from "velox/testing";
import { app } from "./app.ts";

let live: LiveServer;
beforeAll(async () => {
  live = await serveForTest(app);
});
afterAll(() => live.close());

describe("streaming example", () => {
  it("streams ticks as events with ids, and resumes after Last-Event-ID", async () => {
    const res = await fetch(`${live.url}/clock?interval=10&count=3`);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const text = await res.text();
    expect(text.match(/^id: \d+$/gm)).toEqual(["id: 0", "id: 1", "id: 2"]);
    expect(text).toContain("event: tick\ndata: {\"n\":0,");
    const resumed = await (await fetch(`${live.url}/clock?interval=10&count=3`, { headers: { "Last-Event-ID": "1" } })).text();
    expect(resumed.match(/^id: \d+$/gm)).toEqual(["id: 2"]);
  });

  it("answers errors before the stream starts", async () => {
    expect((await fetch(`${live.url}/orders/101/status`)).status).toBe(404);
    const ok = await (await fetch(`${live.url}/orders/1/status`)).text();
    expect(ok).toBe('data: {"status":"received"}\n\ndata: {"status":"packed"}\n\ndata: {"status":"shipped"}\n\n');
  });

  it("writes JSON Lines (the test client reads finite streams too)", async () => {
    const client = new TestClient(app);
    const res = await client.get("/prices.jsonl");
    expect(res.headers["content-type"]).toBe("application/jsonl");
    expect(res.text.trim().split("\n").map((line) => JSON.parse(line))).toEqual([
      { sku: "SKU-1", price: 1.5 }, { sku: "SKU-2", price: 3 }, { sku: "SKU-3", price: 4.5 },
    ]);
  });
});
