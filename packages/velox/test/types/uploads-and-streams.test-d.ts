import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { depends, EventSourceResponse, file, files, jsonl, ServerSentEvent, sse, UploadFile, Velox } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

const Item = z.object({ id: z.int(), name: z.string(), tags: z.array(z.string()).default([]) });

describe("upload field types", () => {
  it("file(), files() and optional files type the form next to text fields", () => {
    new Velox().post("/upload", {
      form: { title: z.string(), doc: file(), pages: files(), cover: file().optional(), extras: files({ min: 0 }) },
    }, ({ form }) => {
      expectTypeOf(form.doc).toEqualTypeOf<UploadFile>();
      expectTypeOf(form.pages).toEqualTypeOf<UploadFile[]>();
      expectTypeOf(form.cover).toEqualTypeOf<UploadFile | undefined>();
      expectTypeOf(form.extras).toEqualTypeOf<UploadFile[]>();
      expectTypeOf(form.title).toBeString();
      expectTypeOf(form.doc.bytes()).toEqualTypeOf<Promise<Buffer>>();
      expectTypeOf(form.doc.save).parameter(0).toBeString();
      return form.doc.size;
    });
  });

  it("a dependency can read files too", () => {
    const upload = depends({ form: { file: file() } }, ({ form }) => {
      expectTypeOf(form.file).toEqualTypeOf<UploadFile>();
      return form.file.filename;
    });
    new Velox().post("/x", { deps: { upload } }, ({ upload }) => {
      expectTypeOf(upload).toBeString();
      return upload;
    });
  });

  it("the multipart option takes the caps and nothing else", () => {
    new Velox().post("/x", { form: { f: file() }, multipart: { maxFileSize: 1, maxFiles: 1, tempDir: "/tmp" } }, () => null);
    // @ts-expect-error unknown cap
    new Velox().post("/x", { form: { f: file() }, multipart: { maxFile: 1 } }, () => null);
  });

  it("the test client takes files and FormData", () => {
    const client = new TestClient(new Velox());
    void client.post("/x", { form: { a: "1" }, files: { f: { content: "x", filename: "f.txt" }, g: [new Blob(["y"])] } });
    void client.post("/x", { body: new FormData() });
  });
});

describe("streamed route types", () => {
  it("sse(Item): the handler yields item inputs or ServerSentEvents of them", () => {
    new Velox().get("/events", { response: sse(Item) }, async function* ({ signal }) {
      expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
      yield { id: 1, name: "a" };
      yield new ServerSentEvent({ data: { id: 2, name: "b", tags: ["x"] }, event: "created", id: "2" });
      yield new ServerSentEvent({ comment: "ping" });
    });
    // @ts-expect-error an item of the wrong shape
    new Velox().get("/events", { response: sse(Item) }, async function* () {
      yield { id: "1", name: "a" };
    });
  });

  it("an async handler may check first and then return the stream", () => {
    new Velox().get("/events/{id}", { path: { id: z.int() }, response: sse(Item) }, async ({ path }) => {
      async function* watch() {
        yield { id: path.id, name: "x" };
      }
      return watch();
    });
  });

  it("jsonl(Item): plain items only, sync iterables too", () => {
    new Velox().get("/export", { response: jsonl(Item) }, () => [{ id: 1, name: "a" }]);
    // @ts-expect-error ServerSentEvent is for SSE routes
    new Velox().get("/export", { response: jsonl(Item) }, async function* () {
      yield new ServerSentEvent({ data: { id: 1, name: "a" } });
    });
  });

  it("a ready response is still allowed, and sse() without a schema takes anything", () => {
    new Velox().get("/raw", { response: sse() }, () => new EventSourceResponse([1, 2, 3]));
    new Velox().get("/any", { response: sse() }, async function* () {
      yield "text";
      yield { any: true };
    });
  });
});
