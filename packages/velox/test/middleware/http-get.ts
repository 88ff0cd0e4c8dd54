import { request, type IncomingMessage } from "node:http";

/** A response read off a real socket without any decoding (node's fetch would gunzip it). */
export interface WireResponse {
  status: number;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

/** Sends one request to a live test server and reads the raw body. */
export function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "GET", headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(options.body);
  });
}
