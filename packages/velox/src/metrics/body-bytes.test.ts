import { createServer, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { requestBodyBytes, responseBodyBytes } from "./body-bytes.ts";

/** Serves one request with `respond`, returns what responseBodyBytes saw after it finished. */
async function measure(respond: (res: ServerResponse) => void, method = "GET", body?: string): Promise<{ response: number; request: number }> {
  let seen = { response: NaN, request: NaN };
  const server = createServer((req, res) => {
    res.once("finish", () => (seen = { response: responseBodyBytes(res), request: requestBodyBytes(req) }));
    req.resume();
    req.once("end", () => respond(res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  await new Promise<void>((resolve, reject) => {
    const req = request({ port: (server.address() as AddressInfo).port, host: "127.0.0.1", method, agent: false }, (res) => {
      res.resume();
      res.once("end", resolve);
    });
    req.once("error", reject);
    req.end(body);
  });
  server.close();
  return seen;
}

describe("body bytes", () => {
  it("reads the length of headers set with setHeader, passed to writeHead, or in another casing", async () => {
    expect((await measure((res) => { res.setHeader("content-length", 5); res.end("hello"); })).response).toBe(5);
    expect((await measure((res) => res.writeHead(200, { "content-type": "text/plain", "content-length": 11 }).end("hello world"))).response).toBe(11);
    expect((await measure((res) => res.writeHead(200, { "Content-Length": "3" }).end("abc"))).response).toBe(3);
  });

  it("is unknown for a stream without a length, and 0 for HEAD and 204", async () => {
    expect((await measure((res) => { res.write("a"); res.end("b"); })).response).toBe(-1);
    expect((await measure((res) => res.writeHead(204).end())).response).toBe(0);
    expect((await measure((res) => res.writeHead(200, { "content-length": 9 }).end(), "HEAD")).response).toBe(0);
  });

  it("takes the responder's count as it is, except for HEAD (the method given or the request's)", async () => {
    expect((await measure((res) => res.end("abc"))).response).toBe(3);
    const fake = { req: { method: "HEAD" }, getHeader: () => undefined, statusCode: 200 } as unknown as ServerResponse;
    expect(responseBodyBytes(fake, 42)).toBe(0);
    expect(responseBodyBytes(fake, 42, "GET")).toBe(42);
    expect(responseBodyBytes(fake, 42, "HEAD")).toBe(0);
  });

  it("reads the request's declared length", async () => {
    expect((await measure((res) => res.end(), "POST", "12345")).request).toBe(5);
    expect((await measure((res) => res.end())).request).toBe(0);
  });
});
