import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { Workload } from "../workloads.ts";
import { CountClient } from "./count-client.ts";

const GET: Workload = { name: "json", label: "GET /json", method: "GET", path: "/json" };
const POST: Workload = { name: "items", label: "POST /items", method: "POST", path: "/items", body: '{"a":1}' };

let server: Server | null = null;
let client: CountClient | null = null;
afterEach(async () => {
  client?.close();
  await new Promise((r) => (server ? server.close(r) : r(null)));
});

/** A server that records every request and the connection it came on. */
async function recordingServer(status: (n: number) => number) {
  const seen: { method: string; body: string; socket: unknown }[] = [];
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push({ method: req.method!, body, socket: req.socket });
      res.writeHead(status(seen.length)).end("{}");
    });
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return { seen, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("CountClient", () => {
  it("sends exactly the count over at most the given keep-alive connections", async () => {
    const { seen, url } = await recordingServer(() => 200);
    client = new CountClient(url, 4);
    expect(await client.send(GET, 250)).toEqual({ sent: 250, non2xx: 0, errors: 0, firstProblem: null });
    expect(await client.send(POST, 50)).toMatchObject({ sent: 50, non2xx: 0, errors: 0 });
    expect(seen.length).toBe(300);
    expect(new Set(seen.map((s) => s.socket)).size).toBeLessThanOrEqual(4);
    expect(seen.at(-1)).toMatchObject({ method: "POST", body: '{"a":1}' });
  });

  it("counts answers that are not 2xx and names the first", async () => {
    const { url } = await recordingServer((n) => (n % 10 === 0 ? 422 : 201));
    client = new CountClient(url, 2);
    expect(await client.send(GET, 100)).toEqual({ sent: 100, non2xx: 10, errors: 0, firstProblem: "status 422 for GET /json" });
  });

  it("counts requests nobody answers as errors", async () => {
    client = new CountClient("http://127.0.0.1:1", 2);
    const r = await client.send(GET, 3);
    expect(r).toMatchObject({ sent: 3, non2xx: 0, errors: 3 });
    expect(r.firstProblem).toMatch(/^error /);
  });
});
