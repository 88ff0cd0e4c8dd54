/**
 * Regression (issue 12, defect 2): a valid, complete `POST` followed on the same connection by a
 * malformed request created its item, but the only bytes the client received were
 * `400 {"detail":"Bad Request"}` + `Connection: close` — which it read as the POST's answer. The
 * same when a body carried more bytes than its Content-Length (the surplus is parsed as the next
 * request). Owed answers now go out in request order; the error answer comes last, then the close.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox } from "../../src/index.ts";
import { serve, type ServerHandle } from "../../src/server/index.ts";
import { assertServing, RawConnection } from "../hardening/raw-http.ts";

let handle: ServerHandle;
const created: number[] = [];

beforeAll(async () => {
  const app = new Velox({ logger: false });
  app.post("/items", { body: z.object({ n: z.int() }), status: 201 }, async ({ body }) => {
    // An answer that takes a moment (a database insert): the bad bytes are parsed before it is ready.
    await new Promise((resolve) => setTimeout(resolve, 50));
    created.push(body.n);
    return { created: body.n };
  });
  app.get("/stream", {}, ({ res }) => {
    res.writeHead(200, { "content-type": "text/plain", "content-length": "10" });
    res.write("hello");
    setTimeout(() => res.end("world"), 80);
  });
  handle = await serve(app, { port: 0, workers: 0, handleSignals: false, logger: { info() {}, warn() {}, error() {} } as never });
});
afterAll(() => handle.shutdown());


const post = (body: string, length = Buffer.byteLength(body)) =>
  `POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n${body}`;

describe("a malformed request pipelined after a valid one", () => {
  it("gets its 400 after the valid request's own answer, then the connection closes", async () => {
    const conn = await RawConnection.open(handle.port);
    conn.write(post('{"n":1}') + "NOT A REQUEST\r\n\r\n");
    const responses = await conn.allResponses(3_000);
    expect(responses.map((r) => r.status)).toEqual([201, 400]);
    expect(responses[0]!.json()).toEqual({ created: 1 });
    expect(responses[1]!.headers.connection).toBe("close");
    await assertServing(handle.port);
  });

  it("answers every pipelined request before the error, in order", async () => {
    const conn = await RawConnection.open(handle.port);
    conn.write(post('{"n":2}') + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n" + post('{"n":3}') + "GET / HTTP/9.9\r\n\r\n");
    const responses = await conn.allResponses(3_000);
    expect(responses.map((r) => r.status)).toEqual([201, 200, 201, 400]);
    expect([responses[0]!.json(), responses[2]!.json()]).toEqual([{ created: 2 }, { created: 3 }]);
  });

  it("lets a response already on the wire finish before the error answer", async () => {
    const conn = await RawConnection.open(handle.port);
    conn.write("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n\x01\x02garbage\r\n\r\n");
    const responses = await conn.allResponses(3_000);
    expect(responses.map((r) => [r.status, r.text()])).toEqual([[200, "helloworld"], [400, '{"detail":"Bad Request"}']]);
  });
});

describe("a body with more bytes than its Content-Length", () => {
  it("answers the declared request first; the surplus, not a request, gets the 400", async () => {
    const conn = await RawConnection.open(handle.port);
    conn.write(post('{"n":4}, "smuggled": true}\r\n\r\n', 7));
    const responses = await conn.allResponses(3_000);
    expect(responses.map((r) => r.status)).toEqual([201, 400]);
    expect(responses[0]!.json()).toEqual({ created: 4 });
    expect(created).toContain(4);
  });

  it("still answers 400 at once to a request broken inside its own body", async () => {
    const conn = await RawConnection.open(handle.port);
    conn.write("POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    const responses = await conn.allResponses(3_000);
    expect(responses.map((r) => r.status)).toEqual([400]);
  });
});
