import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { toJsonSchema } from "../json-schema.ts";
import { valibotJsonSchema } from "./valibot.ts";
import "../errors/index.ts";

describe("Valibot JSON Schema adapter", () => {
  it("describes inputs as draft 2020-12, telling integers from numbers", () => {
    const schema = v.object({ id: v.pipe(v.number(), v.integer(), v.minValue(1)), tags: v.array(v.string()), on: v.optional(v.boolean()) });
    expect(valibotJsonSchema(schema, "input")).toEqual({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: { id: { type: "integer", minimum: 1 }, tags: { type: "array", items: { type: "string" } }, on: { type: "boolean" } },
      required: ["id", "tags"],
    });
  });

  it("is registered for the valibot vendor, so toJsonSchema works without setup", () => {
    expect(toJsonSchema(v.pipe(v.number(), v.integer()), "input")).toMatchObject({ type: "integer" });
  });

  it("leaves out what JSON Schema cannot say instead of failing", () => {
    expect(valibotJsonSchema(v.pipe(v.string(), v.transform(Number)), "input")).toMatchObject({ type: "string" });
  });

  it("loads @valibot/to-json-schema only when a Valibot schema is described", () => {
    const script = `
      import { createRequire } from "node:module";
      const velox = await import(${JSON.stringify(fileURLToPath(new URL("../../index.ts", import.meta.url)))});
      const require = createRequire(import.meta.url);
      const loaded = () => Object.keys(require.cache).some((file) => file.includes("to-json-schema"));
      const before = loaded();
      const v = await import("valibot");
      velox.toJsonSchema(v.number(), "input");
      console.log(JSON.stringify([before, loaded()]));
    `;
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: fileURLToPath(new URL("../../..", import.meta.url)),
      encoding: "utf8",
    });
    expect(JSON.parse(out.trim())).toEqual([false, true]);
  });
});
