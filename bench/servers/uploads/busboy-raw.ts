/**
 * Baseline for the upload rows: node:http with @fastify/busboy piped (`.pipe()`) straight to a temp file,
 * hand-written checks, no framework (ratio 1.00).
 */
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { unlink } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Busboy } from "@fastify/busboy";
import { HOST, serverPort } from "../port.ts";
import { DESCRIPTION_MAX, NAME_MAX, STREAM_MAX } from "./contract.ts";

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function upload(req: IncomingMessage, res: ServerResponse, hashFields: boolean): void {
  const fields: Record<string, string> = {};
  const temp: string[] = [];
  const writes: Promise<void>[] = [];
  let size = -1;
  let sha256 = "";
  const boy = Busboy({ headers: req.headers as { "content-type": string }, limits: { fileSize: STREAM_MAX, files: 1 } });
  boy.on("field", (name, value) => {
    fields[name] = value;
  });
  boy.on("file", (_name, stream) => {
    const path = join(tmpdir(), `bench-busboy-${randomUUID()}`);
    temp.push(path);
    const hash = hashFields ? createHash("sha256") : null;
    let bytes = 0;
    stream.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      hash?.update(chunk);
    });
    const out = createWriteStream(path);
    writes.push(new Promise<void>((resolve, reject) => {
      out.on("finish", () => {
        size = bytes;
        sha256 = hash?.digest("hex") ?? "";
        resolve();
      });
      out.on("error", reject);
      stream.on("error", reject);
    }));
    stream.pipe(out);
  });
  const cleanup = () => Promise.all(temp.map((p) => unlink(p).catch(() => undefined)));
  boy.on("finish", () => {
    void Promise.all(writes).then(async () => {
      // Like a framework's request cleanup, the streamed file is removed after the answer.
      if (!hashFields) {
        send(res, 200, { size });
        return void cleanup();
      }
      await cleanup();
      const { name, description } = fields;
      if (size < 0 || !name || name.length > NAME_MAX || description === undefined || description.length > DESCRIPTION_MAX) {
        return send(res, 422, { detail: [{ type: "value_error", loc: ["body"], msg: "invalid upload" }] });
      }
      send(res, 201, { name, description, size, sha256 });
    }, async () => {
      await cleanup();
      send(res, 500, { detail: "write failed" });
    });
  });
  boy.on("error", () => void cleanup().then(() => send(res, 400, { detail: "malformed" })));
  req.pipe(boy);
}

createServer((req, res) => {
  if (req.method === "GET" && req.url === "/json") return send(res, 200, { message: "Hello, World!" });
  if (req.method === "POST" && req.url === "/upload") return upload(req, res, true);
  if (req.method === "POST" && req.url === "/stream") return upload(req, res, false);
  send(res, 404, { detail: "Not Found" });
}).listen(serverPort(), HOST);
