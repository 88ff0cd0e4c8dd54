import { describe, expect, it } from "vitest";
import { TestClient } from "velox/testing";
import { app, events } from "./app.ts";

describe("middleware and lifespan example", () => {
  it("runs the lifespan around the client's life and middleware around every request", async () => {
    const client = new TestClient(app);
    const res = await client.get("/", { headers: { "x-request-id": "abc-123" } });
    expect(res.json()).toEqual({ startedAt: "1970-01-01T00:00:00.000Z", requestId: "abc-123" });
    expect(res.headers["server-timing"]).toMatch(/^app;dur=\d+\.\d\d$/);
    const missing = await client.get("/nope");
    expect(missing.status).toBe(404);
    expect(missing.headers["server-timing"]).toBeDefined();
    expect(events).toEqual(["startup"]);
    await client.close();
    expect(events).toEqual(["startup", "shutdown"]);
  });
});
