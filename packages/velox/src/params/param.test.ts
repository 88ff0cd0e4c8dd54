import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as v from "valibot";
import { param, paramOptions, wireName } from "./param.ts";
import { headerName } from "./wire-name.ts";

describe("param()", () => {
  it("keeps the schema's validation and attaches options", async () => {
    const schema = param(z.int().min(1), { alias: "item-id", includeInSchema: false });
    expect(await schema["~standard"].validate(3)).toEqual({ value: 3 });
    expect((await schema["~standard"].validate(0)).issues).toBeDefined();
    expect(paramOptions(schema)).toEqual({ alias: "item-id", includeInSchema: false });
    expect(paramOptions(z.string())).toBeUndefined();
    const valibot = param(v.string(), { deprecated: true });
    expect(await valibot["~standard"].validate("x")).toMatchObject({ value: "x" });
    expect(paramOptions(valibot)?.deprecated).toBe(true);
  });

  it("layers options when wrapped twice", () => {
    expect(paramOptions(param(param(z.string(), { alias: "a" }), { description: "d" }))).toEqual({ alias: "a", description: "d" });
  });

  it("refuses what is not a schema or an option", () => {
    expect(() => param({} as never, {})).toThrow(/Standard Schema/);
    expect(() => param(z.string(), { convert_underscores: false } as never)).toThrow(/unknown option "convert_underscores"/);
    expect(() => param(z.string(), { alias: "" })).toThrow(/alias/);
    expect(() => param(z.string(), { includeInSchema: "no" as never })).toThrow(/includeInSchema/);
  });

  it("names the wire like FastAPI", () => {
    expect(wireName("header", "x_token", z.string(), headerName)).toBe("x-token");
    expect(wireName("header", "strange_header", param(z.string(), { convertUnderscores: false }), headerName)).toBe("strange_header");
    expect(wireName("header", "token", param(z.string(), { alias: "X-API-Key" }), headerName)).toBe("x-api-key");
    expect(wireName("query", "q", param(z.string(), { alias: "item-query" }), headerName)).toBe("item-query");
    expect(() => wireName("header", "a", param(z.string(), { alias: "bad name" }), headerName)).toThrow(/not a header name/);
  });
});
