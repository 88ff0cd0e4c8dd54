// writeJson sends the handler's headers as node's flat header list (not an object spread, which
// cost ~4,000 instructions for two headers): the handler's content-type must still replace the
// default, not be sent beside it, and every Set-Cookie must still go out.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Velox } from "../../src/index.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";

let live: LiveServer;
beforeAll(async () => {
  const app = new Velox({ logger: false });
  app.get("/own-type", {}, ({ response }) => {
    response.setHeader("content-type", "application/vnd.api+json");
    response.setHeader("x-one", "1");
    response.setCookie("a", "1");
    response.setCookie("b", "2");
    return { ok: true };
  });
  app.get("/plain", {}, () => ({ ok: true }));
  live = await serveForTest(app);
});
afterAll(() => live.close());

const rawHeaders = (path: string) =>
  new Promise<{ raw: string[]; body: string }>((resolve, reject) => {
    request(`${live.url}${path}`, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ raw: res.rawHeaders, body }));
    }).on("error", reject).end();
  });
const named = (raw: string[], name: string) => raw.filter((_, i) => i % 2 === 0 && raw[i]!.toLowerCase() === name).length;
const value = (raw: string[], name: string) => raw[raw.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === name) + 1];

describe("a JSON response with the handler's headers", () => {
  it("sends the handler's content-type once, in place of the default, with both cookies and a right length", async () => {
    const { raw, body } = await rawHeaders("/own-type");
    expect(named(raw, "content-type")).toBe(1);
    expect(value(raw, "content-type")).toBe("application/vnd.api+json");
    expect(named(raw, "set-cookie")).toBe(2);
    expect(value(raw, "x-one")).toBe("1");
    expect(named(raw, "content-length")).toBe(1);
    expect(Number(value(raw, "content-length"))).toBe(Buffer.byteLength(body));
  });

  it("without handler headers keeps the defaults", async () => {
    const { raw } = await rawHeaders("/plain");
    expect(value(raw, "content-type")).toBe("application/json");
    expect(named(raw, "content-type")).toBe(1);
  });
});
