/**
 * The rule of `columns.ts`, enforced on the app's own OpenAPI document: a new endpoint whose
 * schema lets a client send an integer wider than PostgreSQL's `integer` or a string with U+0000
 * fails here, on either database, before any request is made.
 */
import { describe, expect, it } from "vitest";
import { generateOpenAPI } from "velox";
import { createApp } from "../app.ts";
import { testSettings } from "../testing/app-harness.ts";
import { inputSites, type OpenAPIDoc, type Schema } from "../testing/fuzz/openapi-operations.ts";
import { fitsInteger, fitsText, idField, INTEGER_MAX, INTEGER_MIN, textField } from "./columns.ts";

const doc = generateOpenAPI(createApp({ settings: testSettings(), logger: false })) as OpenAPIDoc;
const sites = inputSites(doc);

/**
 * Inputs the rule does not cover, each with the reason. The OAuth2 password form is the
 * framework's (FastAPI's `OAuth2PasswordRequestForm`, any string): the repository looks its
 * username up with `fitsText`, and nothing in it is stored as sent.
 */
const EXEMPT: Record<string, string> = {
  "POST /auth/token body.grant_type": "must be the literal `password`",
  "POST /auth/token body.username": "looked up through fitsText() in UsersRepository.getCredentials",
  "POST /auth/token body.password": "hashed, never stored or queried",
  "POST /auth/token body.scope": "split and matched against the known scopes",
  "POST /auth/token body.client_id": "not used",
  "POST /auth/token body.client_secret": "not used",
  "PUT /users/me/avatar body.file": "binary upload: written to a file named by user id, never to a column",
};

/** A schema's own pattern and those of its `allOf` (zod puts a second `.regex()` there). */
function patternsOf(schema: Schema): string[] {
  const own = typeof schema.pattern === "string" ? [schema.pattern] : [];
  return [...own, ...(schema.allOf ?? []).flatMap(patternsOf)];
}

const key = (site: { operation: string; at: string }) => `${site.operation} ${site.at}`;

describe("request schemas fit the database columns", () => {
  it("finds the inputs it checks", () => {
    expect(sites.filter((s) => s.schema.type === "integer").length).toBeGreaterThan(5);
    expect(sites.filter((s) => s.schema.type === "string").length).toBeGreaterThan(5);
  });

  it("no integer input goes beyond PostgreSQL's 32-bit integer", () => {
    const wide = sites
      .filter((s) => s.schema.type === "integer" && !(key(s) in EXEMPT))
      .filter((s) => !(typeof s.schema.maximum === "number" && s.schema.maximum <= INTEGER_MAX && typeof s.schema.minimum === "number" && s.schema.minimum >= INTEGER_MIN))
      .map((s) => `${key(s)}: declare it with idField() or integerField() from models/columns.ts`);
    expect(wide).toEqual([]);
  });

  it("no string input admits U+0000 or has no length limit", () => {
    const open = sites
      .filter((s) => s.schema.type === "string" && s.schema.enum === undefined && s.schema.const === undefined && s.schema.format !== "password")
      .filter((s) => !(key(s) in EXEMPT))
      .filter((s) => typeof s.schema.maxLength !== "number" || patternsOf(s.schema).every((pattern) => new RegExp(pattern, "u").test("a\u0000b")))
      .map((s) => `${key(s)}: declare it with textField(maxLength) from models/columns.ts`);
    expect(open).toEqual([]);
  });

  it("exempts only inputs that exist", () => {
    const known = new Set(sites.map(key));
    expect(Object.keys(EXEMPT).filter((k) => !known.has(k))).toEqual([]);
  });
});

describe("the column helpers", () => {
  it("bound ids to 1..2^31−1 and refuse NUL in text", () => {
    expect([idField().safeParse(INTEGER_MAX).success, idField().safeParse(INTEGER_MAX + 1).success, idField().safeParse(0).success]).toEqual([true, false, false]);
    expect(textField(3).safeParse("a\u0000").success).toBe(false);
    expect(textField(3).safeParse("abc").success).toBe(true);
    expect(textField(3).safeParse("abcd").success).toBe(false);
  });

  it("tell which unbounded values a column could hold", () => {
    expect([fitsInteger(1), fitsInteger(INTEGER_MAX + 1), fitsInteger(1.5), fitsInteger(INTEGER_MIN)]).toEqual([true, false, false, true]);
    expect([fitsText("alice", 64), fitsText("x\u0000", 64), fitsText("a".repeat(65), 64)]).toEqual([true, false, false]);
  });
});
