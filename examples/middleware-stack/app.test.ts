import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { TestClient } from "velox/testing";
import { createApp } from "./app.ts";

describe("middleware stack example", () => {
  it("answers a preflight, then compresses, ids, times and secures the real request", async () => {
    const client = new TestClient(createApp());
    const preflight = await client.request("OPTIONS", "/items/1", {
      headers: { host: "localhost", origin: "http://localhost:3000", "access-control-request-method": "PUT", "access-control-request-headers": "content-type" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-methods"]).toBe("PUT");

    const res = await client.get("/items", { headers: { host: "localhost", origin: "http://localhost:3000", "accept-encoding": "gzip", "x-request-id": "abc" } });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(gunzipSync(res.body).toString())).toHaveLength(100);
    expect(res.headers["x-request-id"]).toBe("abc");
    expect(res.headers["x-process-time"]).toMatch(/^\d+\.\d{6}$/);
    expect(res.headers["access-control-allow-origin"]).toBe("http://localhost:3000");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");

    const foreign = await client.get("/items", { headers: { host: "evil.test" } });
    expect(foreign.status).toBe(400);
    await client.close();
  });
});
