import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox } from "../../src/index.ts";
import { serveForTest, TestClient, type LiveServer } from "../../src/testing/index.ts";

function subApp(): Velox {
  const v2 = new Velox({ title: "API v2", logger: false });
  v2.get("/items/{item_id}", { name: "read_item", path: { item_id: z.int() } }, ({ path }) => ({ v: 2, id: path.item_id }));
  return v2;
}

describe("app.mount", () => {
  let live: LiveServer;
  const events: string[] = [];
  beforeAll(async () => {
    const app = new Velox({ title: "Main", logger: false });
    app.get("/items/{item_id}", { name: "read_item", path: { item_id: z.int() } }, ({ path }) => ({ v: 1, id: path.item_id }));
    const v2 = new Velox({ title: "API v2", logger: false, lifespan: async function* () {
      events.push("v2 up");
      yield;
      events.push("v2 down");
    } });
    v2.get("/items/{item_id}", { name: "read_item", path: { item_id: z.int() } }, ({ path }) => ({ v: 2, id: path.item_id }));
    app.mount("/v2", v2, { name: "v2" });
    app.mount("/raw", (req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`raw saw ${req.url}`);
    });
    live = await serveForTest(app);
    expect(app.urlFor("read_item", { item_id: 3 })).toBe("/items/3");
    expect(app.urlFor("v2:read_item", { item_id: 3 })).toBe("/v2/items/3");
  });
  afterAll(async () => {
    await live.close();
    expect(events).toEqual(["v2 up", "v2 down"]);
  });

  it("serves the mounted app under its prefix, which it does not see", async () => {
    expect(await (await fetch(`${live.url}/items/1`)).json()).toEqual({ v: 1, id: 1 });
    expect(await (await fetch(`${live.url}/v2/items/1`)).json()).toEqual({ v: 2, id: 1 });
    expect((await fetch(`${live.url}/v2/items/x`)).status).toBe(422);
    expect((await fetch(`${live.url}/v2x/items/1`)).status).toBe(404);
    expect(await (await fetch(`${live.url}/raw/a/b?c=1`)).text()).toBe("raw saw /a/b?c=1");
    expect(await (await fetch(`${live.url}/raw`)).text()).toBe("raw saw /");
  });

  it("keeps the mounted app's own docs, pointing at its own document under the prefix", async () => {
    const main = (await (await fetch(`${live.url}/openapi.json`)).json()) as any;
    expect(Object.keys(main.paths)).toEqual(["/items/{item_id}"]);
    const v2 = (await (await fetch(`${live.url}/v2/openapi.json`)).json()) as any;
    expect(v2.info.title).toBe("API v2");
    expect(v2.servers).toEqual([{ url: "/v2" }]);
    const docs = await (await fetch(`${live.url}/v2/docs`)).text();
    expect(docs).toContain("/v2/openapi.json");
  });

  it("refuses bad mounts", () => {
    const app = new Velox({ logger: false });
    expect(() => app.mount("v2", subApp())).toThrow(/must start with "\/"/);
    expect(() => app.mount("/v2/", subApp())).toThrow(/not end with/);
    expect(() => app.mount("/v2", {} as never)).toThrow(/mount a Velox app/);
    app.mount("/v2", subApp());
    expect(() => app.mount("/v2", subApp())).toThrow(/already mounted/);
  });
});

describe("app.urlFor", () => {
  it("builds paths by route name, encoded, under rootPath", async () => {
    const app = new Velox({ logger: false, openapi: { rootPath: "/api" } });
    app.get("/files/{owner}/{file_path:path}", { path: { owner: z.string(), file_path: z.string() } }, function readFile({ path }) {
      return path;
    });
    app.get("/users/{id}", { name: "user", path: { id: z.int() } }, ({ path }) => path);
    await app.ready();
    expect(app.urlFor("readFile", { owner: "a b", file_path: "x/y z.txt" })).toBe("/api/files/a%20b/x/y%20z.txt");
    expect(app.urlFor("user", { id: 7 })).toBe("/api/users/7");
    expect(() => app.urlFor("nope")).toThrow(/no route is named "nope"/);
    expect(() => app.urlFor("user", {})).toThrow(/missing id/);
  });

  it("refuses one explicit name on two routes", async () => {
    const app = new Velox({ logger: false });
    app.get("/a", { name: "same" }, () => 1);
    app.get("/b", { name: "same" }, () => 2);
    await expect(app.ready()).rejects.toThrow(/route name "same" is used by GET \/a and GET \/b/);
  });
});

describe("rootPath in routing", () => {
  it("routes requests under rootPath and without it (a proxy that strips it), redirects keep it", async () => {
    const app = new Velox({ logger: false, openapi: { rootPath: "/api/v1" } });
    app.get("/items", {}, () => ["a"]);
    const client = new TestClient(app);
    expect((await client.get("/api/v1/items")).json()).toEqual(["a"]);
    expect((await client.get("/items")).json()).toEqual(["a"]);
    expect((await client.get("/api/v1items")).status).toBe(404);
    const slash = await client.get("/api/v1/items/?x=1");
    expect(slash.status).toBe(307);
    expect(slash.headers.location).toBe("/api/v1/items?x=1");
    const spec = (await client.get("/api/v1/openapi.json")).json();
    expect(spec.servers).toEqual([{ url: "/api/v1" }]);
    await client.close();
  });
});
