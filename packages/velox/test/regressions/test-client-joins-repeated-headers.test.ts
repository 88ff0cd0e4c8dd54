import { once } from "node:events";
import { request } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox } from "../../src/index.ts";
import { serveForTest, TestClient } from "../../src/testing/index.ts";

/** The in-process client joined repeated headers into one "foo, bar" value; over a socket they arrive as two. */
describe("the test client sends repeated headers as a real client does", () => {
  const app = new Velox({ logger: false });
  app.get("/tags", { headers: { x_tag: z.array(z.string()).default([]) } }, ({ headers }) => headers);

  it("sends an array value as repeated header lines", async () => {
    const res = await new TestClient(app).get("/tags", { headers: { "x-tag": ["foo", "bar"] } });
    expect(res.json()).toEqual({ x_tag: ["foo", "bar"] });
  });

  it("sends repeated [name, value] pairs in order", async () => {
    const res = await new TestClient(app).get("/tags", { headers: [["x-tag", "a"], ["X-Tag", "b"], ["x-tag", "c"]] });
    expect(res.json()).toEqual({ x_tag: ["a", "b", "c"] });
  });

  const live = serveForTest(app);
  afterAll(async () => (await live).close());

  it("matches what the same request gets over a socket", async () => {
    const { port } = await live;
    const req = request({ port, host: "127.0.0.1", path: "/tags", headers: ["host", `127.0.0.1:${port}`, "x-tag", "foo", "x-tag", "bar"] as unknown as Record<string, string> });
    req.end();
    const [res] = (await once(req, "response")) as [import("node:http").IncomingMessage];
    let body = "";
    for await (const chunk of res) body += chunk;
    expect(JSON.parse(body)).toEqual({ x_tag: ["foo", "bar"] });
  });
});
