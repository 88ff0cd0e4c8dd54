import { describe, expect, it } from "vitest";
import { TestClient } from "velox/testing";
import { app, outbox } from "./app.ts";

describe("background tasks example", () => {
  it("answers first, then runs the queued tasks in order", async () => {
    const client = new TestClient(app);
    const res = await client.post("/signup", { json: { email: "ada@example.com" }, headers: { "x-user": "admin" } });
    expect(res.status).toBe(202);
    await client.close();
    expect(outbox).toEqual(["audit: admin signed someone up", "ada@example.com: Welcome!"]);
  });
});
