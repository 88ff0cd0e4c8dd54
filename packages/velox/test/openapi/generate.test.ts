import { toJsonSchema as valibotToJsonSchema } from "@valibot/to-json-schema";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox, depends, generateOpenAPI, registerJsonSchemaAdapter, toJsonSchema, type OperationObject } from "../../src/index.ts";
import { createRichApp, currentUser } from "./rich-app.ts";

const doc = generateOpenAPI(createRichApp());
const op = (path: string, method: string) => (doc.paths[path] as Record<string, OperationObject>)[method]!;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const VALIDATION = { description: "Validation Error", content: { "application/json": { schema: ref("HTTPValidationError") } } };

describe("generateOpenAPI: document", () => {
  it("writes OpenAPI 3.1.0 with the app's info, servers, tags and webhooks", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toEqual({
      title: "Rich",
      version: "2.0.0",
      description: "Every documented **feature**.",
      contact: { name: "API team", email: "api@example.com" },
      license: { name: "MIT", identifier: "MIT" },
    });
    expect(doc.servers).toEqual([{ url: "https://api.example.com", description: "Production" }]);
    expect(doc.tags!.map((t) => t.name)).toEqual(["items", "users"]);
    expect(Object.keys(doc)).toEqual(["openapi", "info", "servers", "paths", "webhooks", "components", "tags"]);
  });

  it("documents every route but the hidden ones, with FastAPI path syntax", () => {
    expect(Object.keys(doc.paths)).toEqual([
      "/token", "/items", "/items/{item_id}", "/users/me", "/admin/stats", "/categories", "/files/{file_path}", "/ark/{code}", "/feedback",
    ]);
    expect(Object.keys(doc.paths["/items"]!)).toEqual(["get", "post"]);
    expect(JSON.stringify(doc)).not.toMatch(/\/hidden|\/internal|\/docs|\/redoc|openapi\.json/);
  });

  it("returns the same object until the routes change", () => {
    const app = createRichApp();
    const first = generateOpenAPI(app);
    expect(generateOpenAPI(app)).toBe(first);
    app.get("/late", {}, function late() {
      return 1;
    });
    const second = generateOpenAPI(app);
    expect(second).not.toBe(first);
    expect(second.paths["/late"]).toBeDefined();
  });
});

describe("generateOpenAPI: operations", () => {
  it("names, summarises and tags operations", () => {
    expect(op("/items/{item_id}", "get")).toMatchObject({ tags: ["items"], summary: "Read Item", operationId: "readItem" });
    expect(op("/items", "get")).toMatchObject({ summary: "List items", description: "Items visible to the caller, newest first.", operationId: "listItems" });
    expect(op("/users/me", "get")).toMatchObject({ operationId: "whoAmI", summary: "Who Am I" });
    expect(op("/files/{file_path}", "get").operationId).toBe("getFilesByFilePath");
    expect(op("/items/{item_id}", "delete").deprecated).toBe(true);
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item as Record<string, OperationObject>).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("documents path, query, header and cookie parameters with wire names, requiredness and metadata", () => {
    expect(op("/items/{item_id}", "get").parameters).toEqual([
      { name: "item_id", in: "path", required: true, description: "The item's id", schema: { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: "The item's id" } },
      { name: "q", in: "query", required: false, description: "Search text", schema: { type: "string", maxLength: 50, description: "Search text", examples: ["ham"] } },
      { name: "legacy", in: "query", required: false, deprecated: true, schema: { type: "boolean", deprecated: true } },
      { name: "ids", in: "query", required: false, schema: { type: "array", items: { type: "integer", minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER } } },
      { name: "x-token", in: "header", required: false, schema: { type: "string" } },
      { name: "session_id", in: "cookie", required: false, schema: { type: "string" } },
    ]);
  });

  it("merges parameters of query models and of dependencies", () => {
    const params = op("/items", "get").parameters!.map((p) => [p.in, p.name, p.required]);
    expect(params).toEqual([
      ["query", "limit", false], ["query", "offset", false], ["query", "order", false], ["query", "page", false], ["header", "x-request-id", false],
    ]);
    expect(op("/items", "get").parameters![3]!.description).toBe("Page number");
  });

  it("documents undeclared template parameters as required strings", () => {
    expect(op("/files/{file_path}", "get").parameters).toEqual([{ name: "file_path", in: "path", required: true, schema: { type: "string" } }]);
  });

  it("documents JSON bodies by reference and form fields as a Body_<operationId> component", () => {
    expect(op("/items", "post").requestBody).toEqual({ required: true, content: { "application/json": { schema: ref("ItemIn") } } });
    expect(op("/token", "post").requestBody).toEqual({ required: true, content: { "application/x-www-form-urlencoded": { schema: ref("Body_login") } } });
    const form = doc.components!.schemas!.Body_login!;
    expect(Object.keys(form.properties)).toEqual(["grant_type", "username", "password", "scope", "client_id", "client_secret"]);
    expect(form.required).toEqual(["username", "password"]);
    expect(form.properties.password).toMatchObject({ type: "string", format: "password" });
    expect(doc.components!.schemas!.Body_sendFeedback).toEqual({
      type: "object",
      title: "Body_sendFeedback",
      properties: { message: { type: "string", minLength: 1 }, rating: { type: "integer", minimum: 1, maximum: 5 } },
      required: ["message"],
    });
  });

  it("documents the success status, router and route responses, and 422 where anything is validated", () => {
    const create = op("/items", "post").responses;
    expect(Object.keys(create)).toEqual(["201", "404", "409", "422"]);
    expect(create["201"]).toEqual({ description: "The created item", content: { "application/json": { schema: ref("Item") } } });
    expect(create["404"]).toEqual({ description: "Item not found", content: { "application/json": { schema: ref("Message") } } });
    expect(create["409"]!.headers).toEqual({ "x-existing-id": { description: "Id of the item with that name", schema: { type: "integer" } } });
    expect(create["422"]).toEqual(VALIDATION);
    expect(op("/items/{item_id}", "delete").responses["204"]).toEqual({ description: "Successful Response" });
    expect(op("/users/me", "get").responses).toEqual({ "200": { description: "Successful Response", content: { "application/json": { schema: ref("User") } } } });
    expect(op("/admin/stats", "get").responses["200"]).toEqual({ description: "Successful Response", content: { "application/json": { schema: {} } } });
  });

  it("uses FastAPI's exact validation error components", () => {
    expect(doc.components!.schemas!.HTTPValidationError).toEqual({
      properties: { detail: { items: ref("ValidationError"), type: "array", title: "Detail" } },
      type: "object",
      title: "HTTPValidationError",
    });
    expect(doc.components!.schemas!.ValidationError).toEqual({
      properties: {
        loc: { items: { anyOf: [{ type: "string" }, { type: "integer" }] }, type: "array", title: "Location" },
        msg: { type: "string", title: "Message" },
        type: { type: "string", title: "Error Type" },
        input: { title: "Input" },
        ctx: { type: "object", title: "Context" },
      },
      type: "object",
      required: ["loc", "msg", "type"],
      title: "ValidationError",
    });
  });

  it("deep-merges openapiExtra, appending to lists", () => {
    const create = op("/items", "post");
    expect(create["x-rate-limit"]).toBe(10);
    expect(create.parameters).toEqual([{ name: "x-trace", in: "header", required: false, schema: { type: "string" } }]);
  });

  it("describes security schemes once and requires them per operation with the scopes asked for", () => {
    expect(doc.components!.securitySchemes).toEqual({
      OAuth2PasswordBearer: {
        type: "oauth2",
        flows: { password: { tokenUrl: "token", scopes: { "items:read": "Read items", "items:write": "Create items", me: "Read your profile" } } },
      },
      HTTPBasic: { type: "http", scheme: "basic" },
      APIKeyHeader: { type: "apiKey", in: "header", name: "x-api-key" },
    });
    expect(op("/items", "get").security).toEqual([{ OAuth2PasswordBearer: ["items:read"] }]);
    expect(op("/items", "post").security).toEqual([{ OAuth2PasswordBearer: ["items:write"] }]);
    expect(op("/items/{item_id}", "delete").security).toEqual([{ OAuth2PasswordBearer: [] }]);
    expect(op("/admin/stats", "get").security).toEqual([{ HTTPBasic: [] }, { APIKeyHeader: [] }]);
    expect(op("/token", "post").security).toBeUndefined();
  });
});

describe("generateOpenAPI: schemas", () => {
  it("splits only the models whose request and response forms differ", () => {
    const names = Object.keys(doc.components!.schemas!);
    expect(names).toEqual([
      "Body_login", "Body_sendFeedback", "Category", "HTTPValidationError", "Item", "ItemIn", "Message", "Subscription", "Tag-Input", "Tag-Output", "Token", "User", "ValidationError",
    ]);
    expect(doc.components!.schemas!.ItemIn!.properties.tags.items).toEqual(ref("Tag-Input"));
    expect(doc.components!.schemas!.Item!.properties.tags.items).toEqual(ref("Tag-Output"));
    expect(doc.components!.schemas!.Category!.properties.children.items).toEqual(ref("Category"));
  });

  it("documents ArkType schemas through Standard JSON Schema", () => {
    const ark = op("/ark/{code}", "get");
    expect(ark.parameters).toEqual([
      { name: "code", in: "path", required: true, schema: { type: "string" } },
      { name: "n", in: "query", required: true, schema: { type: "integer" } },
    ]);
    expect(ark.responses["200"]!.content!["application/json"]!.schema).toMatchObject({ type: "object", required: ["code", "n"] });
  });

  it("documents Valibot schemas through a registered adapter", () => {
    if (toJsonSchema(v.string(), "input") === undefined) {
      registerJsonSchemaAdapter("valibot", (schema) => valibotToJsonSchema(schema as any, { target: "draft-2020-12" } as any));
    }
    const app = new Velox({ logger: false });
    app.post("/v", { body: v.object({ name: v.pipe(v.string(), v.minLength(2)) }) }, function valibotBody() {
      return null;
    });
    const body = generateOpenAPI(app).paths["/v"]!.post!.requestBody!;
    expect(body.content["application/json"]!.schema).toMatchObject({ type: "object", properties: { name: { type: "string", minLength: 2 } }, required: ["name"] });
  });
});

describe("generateOpenAPI: options and contracts", () => {
  it("documents problem+json 422 answers under errorFormat: problem", () => {
    const problem = generateOpenAPI(createRichApp({ errorFormat: "problem" }));
    const response = (problem.paths["/items"]!.post!.responses as Record<string, any>)["422"];
    expect(response).toEqual({ description: "Validation Error", content: { "application/problem+json": { schema: ref("HTTPValidationProblem") } } });
    expect(problem.components!.schemas!.HTTPValidationProblem!.properties.errors.items).toEqual(ref("ValidationError"));
    expect(problem.components!.schemas!.HTTPValidationError).toBeUndefined();
  });

  it("documents the declared dependencies, not test overrides", () => {
    const app = createRichApp();
    app.overrides.set(currentUser, () => ({ username: "test", scopes: [] }));
    expect(generateOpenAPI(app).paths["/items"]!.get!.security).toEqual([{ OAuth2PasswordBearer: ["items:read"] }]);
  });

  it("puts the root path first among the servers, and merges extra last", () => {
    const app = new Velox({ logger: false, openapi: { rootPath: "/api/v1", servers: [{ url: "https://x.example" }], extra: { info: { "x-logo": { url: "/logo.png" } } } } });
    app.get("/ping", {}, function ping() {
      return "pong";
    });
    const document = generateOpenAPI(app);
    expect(document.servers).toEqual([{ url: "/api/v1" }, { url: "https://x.example" }]);
    expect(document.info["x-logo"]).toEqual({ url: "/logo.png" });
    expect(document.paths["/ping"]!.get!.responses["422"]).toBeUndefined();
  });

  it("can document everything in input form", () => {
    const document = generateOpenAPI(createRichApp({ openapi: { separateInputOutputSchemas: false } }));
    expect(Object.keys(document.components!.schemas!)).toContain("Tag");
    expect(Object.keys(document.components!.schemas!)).not.toContain("Tag-Output");
  });

  it("lets generateOperationId name operations, and refuses duplicates at startup", async () => {
    const named = generateOpenAPI(createRichApp({ openapi: { generateOperationId: ({ method, path }) => `${method} ${path}` } }));
    expect(named.paths["/items/{item_id}"]!.get!.operationId).toBe("get /items/{item_id}");
    const app = new Velox({ logger: false });
    app.get("/a", { operationId: "same" }, () => 1);
    app.get("/b", { operationId: "same" }, () => 2);
    await expect(app.ready()).rejects.toThrow(/VX_DUPLICATE_OPERATION_ID.*GET \/b.*GET \/a/);
  });

  it("documents a dependency's JSON body together with the route's", () => {
    const audit = depends({ body: z.object({ reason: z.string() }) }, ({ body }) => body.reason);
    const app = new Velox({ logger: false });
    app.post("/things", { body: z.object({ name: z.string() }), deps: { reason: audit } }, function createThing() {
      return null;
    });
    const schema = generateOpenAPI(app).paths["/things"]!.post!.requestBody!.content["application/json"]!.schema!;
    expect(schema.allOf).toHaveLength(2);
  });
});
