import type { StandardSchemaV1 } from "@standard-schema/spec";
import { describe, expect, it } from "vitest";
import { toJsonSchema } from "../schema/json-schema.ts";
import { issuesToDetails } from "../schema/errors/index.ts";
import { optionalFormField, requiredFormField } from "./form-field.ts";

function run(schema: StandardSchemaV1<any, any>, value: unknown) {
  const result = schema["~standard"].validate(value);
  if (result instanceof Promise) throw new Error("sync expected");
  return result;
}

describe("form fields", () => {
  it("requires a non-empty string, reporting FastAPI's errors", () => {
    const username = requiredFormField({ title: "Username" });
    expect(run(username, "ada")).toEqual({ value: "ada" });
    for (const absent of [undefined, ""]) {
      const result = run(username, absent);
      expect(issuesToDetails(username, result.issues!, ["body", "username"], absent)).toEqual([
        { type: "missing", loc: ["body", "username"], msg: "Field required", input: null },
      ]);
    }
    const repeated = run(username, ["a", "b"]);
    expect(issuesToDetails(username, repeated.issues!, ["body", "username"], ["a", "b"])).toEqual([
      { type: "string_type", loc: ["body", "username"], msg: "Input should be a valid string", input: ["a", "b"] },
    ]);
  });

  it("checks the pattern like Pydantic", () => {
    const grant = optionalFormField({ title: "Grant Type", pattern: "^password$" });
    expect(run(grant, "password")).toEqual({ value: "password" });
    expect(run(grant, undefined)).toEqual({ value: undefined });
    const bad = run(grant, "client_credentials");
    expect(issuesToDetails(grant, bad.issues!, ["body", "grant_type"], "client_credentials")).toEqual([
      {
        type: "string_pattern_mismatch",
        loc: ["body", "grant_type"],
        msg: "String should match pattern '^password$'",
        input: "client_credentials",
        ctx: { pattern: "^password$" },
      },
    ]);
  });

  it("falls back to the default for an absent optional field", () => {
    const scope = optionalFormField({ title: "Scope" }, "");
    expect(run(scope, undefined)).toEqual({ value: "" });
    expect(run(scope, "")).toEqual({ value: "" });
    expect(run(scope, "me items")).toEqual({ value: "me items" });
  });

  it("describes itself as FastAPI documents the same fields", () => {
    expect(toJsonSchema(requiredFormField({ title: "Password", format: "password" }), "input")).toEqual({ type: "string", format: "password", title: "Password" });
    expect(toJsonSchema(optionalFormField({ title: "Client Id" }), "input")).toEqual({ anyOf: [{ type: "string" }, { type: "null" }], title: "Client Id" });
    expect(toJsonSchema(optionalFormField({ title: "Scope" }, ""), "input")).toEqual({ type: "string", title: "Scope", default: "" });
  });
});
