import { mkdtempSync, rmSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { describeEachApp } from "../testing/app-harness.ts";

// A 1×1 PNG and the start of a JPEG: only the magic bytes decide.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from("JFIF\0", "latin1"), Buffer.alloc(64)]);
const avatarDir = mkdtempSync(join(tmpdir(), "velox-avatars-"));
afterAll(() => rmSync(avatarDir, { recursive: true, force: true }));

describeEachApp("avatars", (t) => {
  const upload = (auth: { headers: Record<string, string> }, content: Buffer, contentType = "image/png", filename = "me.png") =>
    t.client.put("/users/me/avatar", { ...auth, files: { file: { content, filename, contentType } } });

  it("stores a PNG checked by its magic bytes and serves it with an ETag and 304s", async () => {
    const ada = await t.login("ada");
    const res = await upload(ada.auth, PNG);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ content_type: "image/png", size: PNG.length, url: `/users/${ada.user.id}/avatar` });
    const image = await t.client.get(`/users/${ada.user.id}/avatar`);
    expect(image.status).toBe(200);
    expect(image.headers["content-type"]).toBe("image/png");
    expect(image.body).toEqual(PNG);
    const etag = image.headers.etag as string;
    expect(etag).toMatch(/^W\//);
    expect((await t.client.get(`/users/${ada.user.id}/avatar`, { headers: { "if-none-match": etag } })).status).toBe(304);
  });

  it("replaces a PNG by a JPEG, names files by user id only, and removes the avatar on DELETE", async () => {
    const bob = await t.login("bob");
    await upload(bob.auth, PNG, "image/png", "../../etc/passwd");
    const jpeg = await upload(bob.auth, JPEG, "image/jpeg", "photo.jpg");
    expect(jpeg.json().content_type).toBe("image/jpeg");
    expect((await readdir(avatarDir)).filter((f) => f.startsWith(`${bob.user.id}.`))).toEqual([`${bob.user.id}.jpg`]);
    expect((await t.client.get(`/users/${bob.user.id}/avatar`)).headers["content-type"]).toBe("image/jpeg");
    expect((await t.client.delete("/users/me/avatar", bob.auth)).status).toBe(204);
    expect((await t.client.get(`/users/${bob.user.id}/avatar`)).status).toBe(404);
    expect((await t.client.delete("/users/me/avatar", bob.auth)).status).toBe(404);
  });

  it("refuses what is not a PNG or JPEG, a file over 2 MiB, and a request without the write scope", async () => {
    const eve = await t.login("eve");
    const disguised = await upload(eve.auth, Buffer.from("<svg onload=alert(1)>"), "image/png", "x.png");
    expect(disguised.status).toBe(415);
    expect(disguised.json()).toEqual({ detail: "The avatar must be a PNG or JPEG image" });
    const declared = await upload(eve.auth, PNG, "text/plain", "x.txt");
    expect(declared.status).toBe(422);
    expect(declared.json().detail[0]).toMatchObject({ type: "value_error", loc: ["body", "file"] });
    const big = await upload(eve.auth, Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]));
    expect(big.status).toBe(413);
    expect(big.json()).toEqual({ detail: `File "file" is larger than ${2 * 1024 * 1024} bytes` });
    const missing = await t.client.put("/users/me/avatar", { ...eve.auth, files: {}, form: { other: "x" } });
    expect(missing.json().detail[0]).toMatchObject({ type: "missing", loc: ["body", "file"] });
    const reader = await t.login("reader", { scopes: ["read"] });
    expect((await upload(reader.auth, PNG)).status).toBe(401);
    expect((await t.client.put("/users/me/avatar", { files: { file: { content: PNG, filename: "a.png", contentType: "image/png" } } })).status).toBe(401);
    expect((await t.client.get(`/users/${eve.user.id}/avatar`)).status).toBe(404);
  });

  it("documents the upload as multipart/form-data with a binary file field", async () => {
    const doc = (await t.client.get("/openapi.json")).json();
    const body = doc.paths["/users/me/avatar"].put.requestBody;
    expect(Object.keys(body.content)).toEqual(["multipart/form-data"]);
    const schema = doc.components.schemas[body.content["multipart/form-data"].schema.$ref.split("/").pop()];
    expect(schema.properties.file).toMatchObject({ type: "string", format: "binary" });
  });
}, { AVATAR_DIR: avatarDir });
