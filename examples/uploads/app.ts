/**
 * File uploads: a document store. Run it with `npx tsx examples/uploads/app.ts`, then
 * `curl -F title=Notes -F document=@README.md http://127.0.0.1:8000/documents`
 * or open http://127.0.0.1:8000/docs and use the file picker.
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { file, files, FileResponse, HTTPException, Velox } from "velox";

const STORE = process.env.DOCUMENT_DIR ?? join(tmpdir(), "velox-example-documents");
mkdirSync(STORE, { recursive: true });

const Document = z.object({ id: z.string(), title: z.string(), filename: z.string(), contentType: z.string(), size: z.int(), sha256: z.string() }).meta({ id: "Document" });
const documents = new Map<string, z.infer<typeof Document> & { path: string }>();

export const app = new Velox({ title: "Documents", version: "1.0.0" });

app.post("/documents", {
  form: {
    title: z.string().min(1).max(200),
    tags: z.array(z.string().max(30)).max(10).default([]),
    document: file({ description: "Any file up to 20 MiB" }),
  },
  // Caps for this route: one file of up to 20 MiB, a few text fields.
  multipart: { maxFiles: 1, maxFileSize: 20 * 1024 * 1024, maxFields: 20 },
  response: Document,
  status: 201,
}, async ({ form }) => {
  const hash = createHash("sha256");
  for await (const chunk of form.document.stream()) hash.update(chunk as Buffer);
  const id = randomUUID();
  // Stored under a name of our own: the client's filename is only shown, never used as a path.
  const path = join(STORE, id);
  await form.document.save(path);
  const doc = { id, title: form.title, filename: form.document.filename, contentType: form.document.contentType, size: form.document.size, sha256: hash.digest("hex") };
  documents.set(id, { ...doc, path });
  return doc;
});

app.post("/documents/batch", {
  form: { documents: files({ max: 5 }) },
  multipart: { maxFiles: 5 },
  response: z.array(z.object({ filename: z.string(), size: z.int() })),
}, ({ form }) => form.documents.map((d) => ({ filename: d.filename, size: d.size })));

app.get("/documents/{id}", { path: { id: z.uuid() } }, ({ path }) => {
  const doc = documents.get(path.id);
  if (!doc) throw new HTTPException(404, "Document not found");
  return new FileResponse(doc.path, { filename: doc.filename, mediaType: doc.contentType });
});

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await app.listen({ port: Number(process.env.PORT ?? 8000) });
  console.log(`Listening on http://127.0.0.1:${(server.address() as { port: number }).port}`);
}
