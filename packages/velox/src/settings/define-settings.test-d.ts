import { type } from "arktype";
import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { defineSettings, type InferSettings } from "./index.ts";

describe("defineSettings types", () => {
  it("infers a record of field schemas", () => {
    const settings = defineSettings({
      port: z.int().default(8000),
      debug: z.boolean().optional(),
      hosts: z.array(z.string()),
      mode: z.enum(["dev", "prod"]),
    });
    expectTypeOf(settings).toEqualTypeOf<{
      readonly port: number;
      readonly debug: boolean | undefined;
      readonly hosts: string[];
      readonly mode: "dev" | "prod";
    }>();
  });

  it("infers an object schema's output", () => {
    const settings = defineSettings(z.object({ port: z.int(), url: z.url().optional() }));
    expectTypeOf(settings.port).toEqualTypeOf<number>();
    expectTypeOf(settings.url).toEqualTypeOf<string | undefined>();
    expectTypeOf(defineSettings(type({ port: "number" })).port).toEqualTypeOf<number>();
  });

  it("exposes the result type for reuse", () => {
    type Shape = { jwt_secret: ReturnType<typeof z.string> };
    expectTypeOf<InferSettings<Shape>>().toEqualTypeOf<{ readonly jwt_secret: string }>();
  });

  it("rejects values that are not schemas", () => {
    // @ts-expect-error a field must be a Standard Schema
    defineSettings({ port: 8000 });
    // @ts-expect-error prefix is a string
    defineSettings({ port: z.int() }, { prefix: 1 });
  });
});
