/** Fastify 5 + @fastify/multipart for the upload rows (contract in contract.ts). */
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import multipart from "@fastify/multipart";
import Fastify from "fastify";
import { HOST, serverPort } from "../port.ts";
import { DESCRIPTION_MAX, NAME_MAX, STREAM_MAX } from "./contract.ts";

const app = Fastify({ logger: false });
await app.register(multipart, { limits: { fileSize: STREAM_MAX, files: 1 } });

app.get("/json", async () => ({ message: "Hello, World!" }));

app.post("/upload", async (req, reply) => {
  const fields: Record<string, string> = {};
  let size = -1;
  let sha256 = "";
  for await (const part of req.parts()) {
    if (part.type === "file") {
      const bytes = await part.toBuffer();
      size = bytes.length;
      sha256 = createHash("sha256").update(bytes).digest("hex");
      const path = join(tmpdir(), `bench-fastify-${randomUUID()}`);
      await writeFile(path, bytes);
      await unlink(path);
    } else fields[part.fieldname] = String(part.value);
  }
  const { name, description } = fields;
  if (size < 0 || !name || name.length > NAME_MAX || description === undefined || description.length > DESCRIPTION_MAX) {
    return reply.code(422).send({ detail: [{ type: "value_error", loc: ["body"], msg: "invalid upload" }] });
  }
  return reply.code(201).send({ name, description, size, sha256 });
});

app.post("/stream", async (req) => {
  const data = await req.file();
  if (!data) return { size: -1 };
  const path = join(tmpdir(), `bench-fastify-${randomUUID()}`);
  let size = 0;
  data.file.on("data", (chunk: Buffer) => {
    size += chunk.length;
  });
  await pipeline(data.file, createWriteStream(path));
  await unlink(path);
  return { size };
});

await app.listen({ port: serverPort(), host: HOST });
