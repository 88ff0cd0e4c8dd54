import { describe, expect, it } from "vitest";
import { compileValidator } from "../../schema/validator.ts";
import { toJsonSchema } from "../../schema/json-schema.ts";
import { file, files, isFileSchema } from "./file-schema.ts";
import { UploadFile } from "./upload-file.ts";

const upload = (contentType = "image/png", filename = "a.png") =>
  new UploadFile({ fieldName: "f", filename, contentType, size: 3, buffer: Buffer.from("abc") });

describe("file()", () => {
  const check = compileValidator(file(), false);

  it("accepts an UploadFile and reports a missing one as FastAPI does", async () => {
    const u = upload();
    expect(await check(u, ["body", "f"])).toEqual({ value: u, errors: null });
    expect((await check(undefined, ["body", "f"])).errors).toEqual([{ type: "missing", loc: ["body", "f"], msg: "Field required", input: null }]);
    expect((await check("", ["body", "f"])).errors?.[0]?.type).toBe("missing");
  });

  it("refuses text where a file is declared, like FastAPI's UploadFile validator", async () => {
    expect((await check("not a file", ["body", "f"])).errors).toEqual([
      { type: "value_error", loc: ["body", "f"], msg: "Value error, Expected UploadFile, received: <class 'str'>", input: "not a file", ctx: { error: {} } },
    ]);
    expect((await check([upload(), upload()], ["body", "f"])).errors?.[0]?.msg).toContain("<class 'list'>");
  });

  it("optional() gives undefined when nothing was sent", async () => {
    const optional = compileValidator(file().optional(), false);
    expect(await optional(undefined, ["body", "f"])).toEqual({ value: undefined, errors: null });
  });

  it("checks the declared media type against accept, with wildcards", async () => {
    const images = compileValidator(file({ accept: ["image/*"] }), false);
    expect((await images(upload("image/jpeg"), ["body", "f"])).errors).toBeNull();
    const pngOnly = compileValidator(file({ accept: ["image/png"] }), false);
    const errors = (await pngOnly(upload("text/plain"), ["body", "f"])).errors!;
    expect(errors[0]).toMatchObject({ type: "value_error", loc: ["body", "f"], input: "text/plain" });
  });

  it("is documented as a binary string (Swagger UI's file picker)", () => {
    expect(toJsonSchema(file({ description: "Avatar" }), "input")).toEqual({ type: "string", format: "binary", contentMediaType: "application/octet-stream", description: "Avatar" });
    expect(isFileSchema(file())).toBe(true);
    expect(isFileSchema(files().optional())).toBe(true);
  });
});

describe("files()", () => {
  it("takes one or several files, in order, and bounds their number", async () => {
    const check = compileValidator(files({ max: 2 }), false);
    const a = upload();
    const b = upload();
    expect((await check([a, b], ["body", "fs"])).value).toEqual([a, b]);
    expect((await check(a, ["body", "fs"])).value).toEqual([a]);
    expect((await check(undefined, ["body", "fs"])).errors?.[0]?.type).toBe("missing");
    expect((await check([a, b, a], ["body", "fs"])).errors?.[0]).toMatchObject({ type: "too_long", loc: ["body", "fs"], ctx: { max_length: 2, actual_length: 3 } });
    expect((await check([a, "x"], ["body", "fs"])).errors?.[0]).toMatchObject({ type: "value_error", loc: ["body", "fs", 1] });
  });

  it("min: 0 makes an empty list valid", async () => {
    const check = compileValidator(files({ min: 0 }), false);
    expect(await check(undefined, ["body", "fs"])).toEqual({ value: [], errors: null });
  });

  it("is documented as an array of binary strings", () => {
    expect(toJsonSchema(files({ max: 3 }), "input")).toEqual({
      type: "array",
      items: { type: "string", format: "binary", contentMediaType: "application/octet-stream" },
      maxItems: 3,
    });
  });
});
