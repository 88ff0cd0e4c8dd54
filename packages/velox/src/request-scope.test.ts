import { describe, expect, it } from "vitest";
import { z } from "zod";
import { currentRequest, Velox } from "./index.ts";
import { serveForTest } from "./testing/index.ts";

describe("currentRequest()", () => {
  it("is the request's context in a body route's handler (the body arrives after the handler call returns)", async () => {
    const app = new Velox({ logger: false, requestScope: true });
    app.post("/echo", { body: z.object({ name: z.string() }) }, ({ body }) => ({ name: body.name, id: currentRequest()?.requestId }));
    const server = await serveForTest(app);
    try {
      const res = await fetch(`${server.url}/echo`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-request-id": "req-42" },
        body: JSON.stringify({ name: "a" }),
      });
      expect(await res.json()).toEqual({ name: "a", id: "req-42" });
    } finally {
      await server.close();
    }
  });

  it("is undefined when the app did not enable the scope", async () => {
    const app = new Velox({ logger: false });
    app.post("/echo", { body: z.object({ name: z.string() }) }, () => ({ id: currentRequest()?.requestId ?? null }));
    const server = await serveForTest(app);
    try {
      const res = await fetch(`${server.url}/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: "{\"name\":\"a\"}" });
      expect(await res.json()).toEqual({ id: null });
    } finally {
      await server.close();
    }
  });
});
