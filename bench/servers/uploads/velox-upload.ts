/** Velox for the upload rows (contract in contract.ts): file() fields, spooled UploadFiles. */
import { createHash, randomUUID } from "node:crypto";
import { unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { file, Velox } from "velox";
import { HOST, serverPort } from "../port.ts";
import { DESCRIPTION_MAX, NAME_MAX, STREAM_MAX } from "./contract.ts";

const app = new Velox({ logger: false, openapi: { openapiUrl: null } });

app.get("/json", {}, () => ({ message: "Hello, World!" }));

const Uploaded = z.object({ name: z.string(), description: z.string(), size: z.int(), sha256: z.string() });

app.post("/upload", {
  form: { name: z.string().min(1).max(NAME_MAX), description: z.string().max(DESCRIPTION_MAX), file: file() },
  response: Uploaded,
  status: 201,
}, async ({ form }) => {
  const bytes = await form.file.bytes();
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const path = join(tmpdir(), `bench-velox-${randomUUID()}`);
  await form.file.save(path);
  await unlink(path);
  return { name: form.name, description: form.description, size: form.file.size, sha256 };
});

app.post("/stream", {
  form: { file: file() },
  multipart: { maxFileSize: STREAM_MAX, maxBodySize: STREAM_MAX + 1024 * 1024 },
}, ({ form }) => ({ size: form.file.size }));

await app.listen({ port: serverPort(), host: HOST });
