/**
 * Regression: `app.listen()` left node's default `clientError` behaviour in place, so a malformed
 * request pipelined after a valid one got node's bare `400 Bad Request` written at once (read by
 * the client as the valid request's answer) and an oversized head a body-less 431, while
 * `serve()` answered FastAPI's JSON in request order. Both now share one client-error handler.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Velox } from "../../src/index.ts";
import { RawConnection, rawRequest } from "../hardening/raw-http.ts";

let server: Server;
let port: number;

beforeAll(async () => {
  const app = new Velox({ logger: false });
  app.get("/slow", {}, async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { ok: true };
  });
  server = await app.listen({ port: 0 });
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it("answers the valid request first, then a JSON 400 for the malformed one", async () => {
  const conn = await RawConnection.open(port);
  conn.write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE\r\n\r\n");
  const responses = await conn.allResponses(3_000);
  expect(responses.map((r) => r.status)).toEqual([200, 400]);
  expect(responses[0]!.json()).toEqual({ ok: true });
  expect(responses[1]!.json()).toEqual({ detail: "Bad Request" });
});

it("answers an oversized head with a JSON 431", async () => {
  const res = await rawRequest(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
  expect(res.status).toBe(431);
  expect(res.json()).toEqual({ detail: "Request Header Fields Too Large" });
});
