/**
 * Acceptance: a scan of 100,000 random paths over real sockets (pipelined, so the HTTP parser is
 * involved) adds no series to the metrics — every unmatched path is `http_route="unmatched"`,
 * invented methods are `_OTHER` — and nothing the scanner sent appears in the scrape.
 */
import { connect } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox } from "../../src/index.ts";
import { metrics } from "../../src/metrics/index.ts";
import { serve } from "../../src/server/index.ts";

const app = new Velox({ logger: false });
const observed = metrics({ defaultMetrics: false });
app.register(observed);
app.get("/items/{id}", { path: { id: z.int().min(1) } }, ({ path }) => ({ id: path.id }));
app.post("/items", {}, () => ({ ok: true }));
// No load shedding: its 503s are answered before the app (and its hooks) see the request.
const handle = await serve(app, { port: 0, workers: 0, handleSignals: false, maxEventLoopDelayMs: 0 });
afterAll(() => handle.shutdown());

// Methods node's parser accepts; the WebDAV ones are not in the label set and become `_OTHER`.
const METHODS = ["GET", "GET", "GET", "POST", "PUT", "DELETE", "HEAD", "PROPFIND", "MKCOL", "PATCH"];
const CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-._~%2F";

function randomPath(i: number): string {
  let token = "";
  const length = 4 + (i % 29);
  for (let c = 0; c < length; c++) token += CHARS[Math.floor(Math.random() * CHARS.length)];
  switch (i % 5) {
    case 0: return `/items/${token}`; // a matched route with an invalid id: 422, not a new series per path
    case 1: return `/${token}/${i}`;
    case 2: return `/items/${i}/${token}`;
    case 3: return `/.env.${token}?q=${token}`;
    default: return `/wp-admin/${token}.php`;
  }
}

/** Sends `count` requests pipelined on one connection, in batches; resolves with the number of responses. */
function scan(port: number, from: number, count: number, tokens: Set<string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let answered = 0;
    let sent = 0;
    let tail = "";
    const batch = (): void => {
      let chunk = "";
      for (let n = 0; n < 500 && sent < count; n++, sent++) {
        const path = randomPath(from + sent);
        if (tokens.size < 200) tokens.add(path.split("/").pop()!.split("?")[0]!);
        chunk += `${METHODS[(from + sent) % METHODS.length]} ${path} HTTP/1.1\r\nhost: x\r\n\r\n`;
      }
      socket.write(chunk);
    };
    socket.setEncoding("latin1");
    socket.on("data", (data: string) => {
      const text = tail + data;
      let at = text.indexOf("HTTP/1.1 ");
      while (at !== -1) {
        answered++;
        at = text.indexOf("HTTP/1.1 ", at + 9);
      }
      tail = text.slice(-8);
      if (answered === count) {
        socket.end();
        resolve(answered);
      } else if (sent - answered < 250 && sent < count) batch();
    });
    socket.once("error", reject);
    socket.once("connect", batch);
  });
}

describe("a scan of 100,000 random paths", () => {
  it("adds no series and leaks no path into the metrics", { timeout: 120_000 }, async () => {
    await fetch(`${handle.url}/items/1`);
    const before = observed.series.size;
    const tokens = new Set<string>();
    const perSocket = 25_000;
    const answered = await Promise.all([0, 1, 2, 3].map((s) => scan(handle.port, s * perSocket, perSocket, tokens)));
    expect(answered.reduce((a, b) => a + b, 0)).toBe(100_000);

    // Bounded label values only: unmatched × methods, and the matched route × its error statuses.
    const added = observed.series.cells.slice(before).map((c) => `${c.method} ${c.route} ${c.status}`);
    expect(added.length, added.join("\n")).toBeLessThanOrEqual(20);
    expect(new Set(observed.series.cells.map((c) => c.route))).toEqual(new Set(["/items/{id}", "unmatched"]));
    expect(observed.series.refused).toBe(0);
    const text = await observed.scrape();
    for (const token of tokens) if (token.length > 6) expect(text).not.toContain(token);
    // Every request counted exactly once (the scan and the first fetch).
    const counts = [...text.matchAll(/^http_server_request_duration_seconds_count\{.*\} (\d+)$/gm)];
    expect(counts.reduce((a, m) => a + Number(m[1]), 0)).toBe(100_001);
  });
});
