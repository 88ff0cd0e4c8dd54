/**
 * Hostile input over real sockets against the whole reference app, on SQLite and on PostgreSQL:
 * node's HTTP parser, `velox/server`'s limits and client-error handling, and a database behind
 * them. Every probe is followed by a plain request on a fresh connection, so a crash, a wedged
 * loop or a poisoned pool shows up at the probe that caused it.
 */
import { expect, it } from "vitest";
import { assertServing, httpRequest, rawRequest, RawConnection } from "../../../packages/velox/test/hardening/raw-http.ts";
import { describeEachLiveApp } from "./testing/live-app.ts";


describeEachLiveApp("hostile requests over a socket", (t) => {
  const json = (method: string, path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    httpRequest(method, path, { authorization: t.bearer, "content-type": "application/json", ...headers }, body);

  it("NUL bytes in JSON strings and in the login form are 422 / 401, never 500", async () => {
    for (const body of ['{"title":"a\\u0000","price":1}', '{"title":"ok","description":"\\u0000","price":1}']) {
      const res = await rawRequest(t.port, json("POST", "/items", body));
      expect([res.status, res.json().detail[0].loc[0]]).toEqual([422, "body"]);
    }
    const form = httpRequest("POST", "/auth/token", { "content-type": "application/x-www-form-urlencoded" }, "username=x%00&password=whatever-123");
    expect((await rawRequest(t.port, form)).status).toBe(401);
    await assertServing(t.port);
  });

  it("ids past 2^31−1 in the path are 422 on every item and user route", async () => {
    for (const [method, path] of [["GET", "/items/2147483648"], ["DELETE", "/items/9007199254740991"], ["GET", "/users/2147483648"], ["DELETE", "/users/2147483648"]] as const) {
      const res = await rawRequest(t.port, httpRequest(method, path, { authorization: t.bearer }));
      expect(res.status, `${method} ${path}`).toBe(422);
    }
    const patch = await rawRequest(t.port, json("PATCH", "/items/2147483648", '{"title":"x"}'));
    expect(patch.status).toBe(422);
    await assertServing(t.port);
  });

  it("a malformed request pipelined after POST /items gets its 400 after the item's 201", async () => {
    const conn = await RawConnection.open(t.port);
    conn.write(Buffer.concat([json("POST", "/items", '{"title":"Lamp","price":3}'), Buffer.from("\x00\x01 not http\r\n\r\n")]));
    const responses = await conn.allResponses();
    expect(responses.map((r) => r.status)).toEqual([201, 400]);
    expect(responses[0]!.json()).toMatchObject({ title: "Lamp", price: 3 });
    const page = await rawRequest(t.port, httpRequest("GET", "/items", { authorization: t.bearer }));
    expect(page.json().total).toBe(1);
  });

  it("a body longer than its Content-Length: the declared item is created and answered, the surplus gets 400", async () => {
    const conn = await RawConnection.open(t.port);
    const declared = '{"title":"Desk","price":9}';
    conn.write(json("POST", "/items", `${declared}{"title":"smuggled","price":1}\r\n\r\n`, { "content-length": String(declared.length) }));
    const responses = await conn.allResponses();
    expect(responses.map((r) => r.status)).toEqual([201, 400]);
    expect(responses[0]!.json().title).toBe("Desk");
    const page = await rawRequest(t.port, httpRequest("GET", "/items", { authorization: t.bearer }));
    expect(page.json().items.map((i: { title: string }) => i.title)).toEqual(["Desk"]);
  });

  it("two Host headers are 400, a flood of tiny headers 431, and nothing reaches the handlers", async () => {
    const twoHosts = await rawRequest(t.port, `POST /items HTTP/1.1\r\nHost: a\r\nHost: b\r\nAuthorization: ${t.bearer}\r\nContent-Type: application/json\r\nContent-Length: 22\r\n\r\n{"title":"x","price":1}`);
    expect(twoHosts.status).toBe(400);
    const flood = await rawRequest(t.port, `GET /users/me HTTP/1.1\r\nHost: x\r\nAuthorization: ${t.bearer}\r\n${"a:b\r\n".repeat(5_000)}\r\n`);
    expect(flood.status).toBe(431);
    expect((await t.services.items.list({})).total).toBe(0);
    await assertServing(t.port);
  });

  it("bodies the JSON routes must refuse: text/plain, invalid UTF-8, prototype keys, deep nesting, oversize", async () => {
    const cases: [string, Buffer | string, Record<string, string>, number][] = [
      ["text/plain", '{"title":"x","price":1}', { "content-type": "text/plain" }, 415],
      ["invalid UTF-8", Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), {}, 400],
      ["__proto__", '{"title":"x","price":1,"__proto__":{"admin":true}}', {}, 400],
      ["deep nesting", "[".repeat(100) + "]".repeat(100), {}, 400],
      ["lone surrogate escape", '{"title":"\\ud800","price":1}', {}, 201],
      ["1e400", '{"title":"x","price":1e400}', {}, 422],
    ];
    for (const [label, body, headers, status] of cases) {
      const res = await rawRequest(t.port, json("POST", "/items", body, headers));
      expect(res.status, label).toBe(status);
    }
    const huge = await rawRequest(t.port, json("POST", "/auth/register", `{"username":"big","email":"b@example.com","password":"${"x".repeat(2 * 1024 * 1024)}"}`));
    expect([huge.status, huge.headers.connection]).toEqual([413, "close"]);
    await assertServing(t.port);
  });
});
