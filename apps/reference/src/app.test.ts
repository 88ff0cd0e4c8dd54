import { afterAll, describe, expect, it } from "vitest";
import { generateOpenAPI, type OpenAPIDocument, type OperationObject } from "velox";
import { TestClient } from "velox/testing";
import { openapiProblems } from "../../../packages/velox/test/openapi/tools.ts";
import { createApp } from "./app.ts";
import { testSettings } from "./testing/app-harness.ts";

// Building the app opens nothing: the document is a pure function of the routes.
const app = createApp({ settings: testSettings(), logger: false });
const document = generateOpenAPI(app) as OpenAPIDocument;
const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
  Object.entries(item as Record<string, OperationObject>).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
);
const securityOf = (route: string) => operations.find((o) => o.route === route)?.operation.security;

describe("the reference app's OpenAPI document", () => {
  it("passes the independent OpenAPI 3.1 validator", async () => {
    expect(await openapiProblems(document)).toBe("");
  });

  it("documents every endpoint with the scopes it requires", () => {
    const bearer = (...scopes: string[]) => [{ OAuth2PasswordBearer: scopes }];
    expect(Object.fromEntries(operations.map(({ route, operation }) => [route, operation.security ?? null]))).toEqual({
      "POST /auth/register": null,
      "POST /auth/token": null,
      "POST /auth/refresh": null,
      "POST /auth/logout": null,
      "POST /auth/password-reset": null,
      "POST /auth/password-reset/confirm": null,
      "GET /users/me": bearer("read"),
      "GET /users": bearer("admin"),
      "GET /users/{user_id}": bearer("admin"),
      "PATCH /users/{user_id}": bearer("admin"),
      "DELETE /users/{user_id}": bearer("admin"),
      "PUT /users/me/avatar": bearer("write"),
      "DELETE /users/me/avatar": bearer("write"),
      "GET /users/{user_id}/avatar": null,
      "POST /items": bearer("write"),
      "GET /items": bearer("read"),
      "GET /items/popular": bearer("read"),
      "GET /items/{item_id}": bearer("read"),
      "PATCH /items/{item_id}": bearer("write"),
      "DELETE /items/{item_id}": bearer("write"),
      "GET /items/events": bearer("read"),
      "GET /users-with-items": bearer("admin"),
      "GET /dashboard": bearer("admin"),
      "GET /rooms": bearer("read"),
      "GET /rooms/{room}/users": bearer("read"),
      "GET /admin/jobs/failed": bearer("admin"),
      "POST /admin/jobs/failed/{job_id}/retry": bearer("admin"),
    });
    expect(securityOf("GET /items")).toEqual(bearer("read"));
  });

  it("describes the OAuth2 password flow so Swagger UI's Authorize can log in", () => {
    expect(document.components?.securitySchemes).toEqual({
      OAuth2PasswordBearer: {
        type: "oauth2",
        description: expect.any(String),
        flows: { password: { tokenUrl: "auth/token", scopes: { read: expect.any(String), write: expect.any(String), admin: expect.any(String) } } },
      },
    });
    const token = operations.find((o) => o.route === "POST /auth/token")!.operation;
    const form = token.requestBody as { content: Record<string, { schema: unknown }> };
    expect(Object.keys(form.content)).toEqual(["application/x-www-form-urlencoded"]);
  });

  it("names the generic page models like Pydantic and documents pagination limits", () => {
    const schemas = document.components?.schemas ?? {};
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(["Page_Item_", "Page_User_", "Item", "User", "Token", "UserCreate"]));
    expect(schemas.Page_Item_).toMatchObject({
      properties: { items: { type: "array", items: { $ref: "#/components/schemas/Item" } }, size: { maximum: 100 } },
      required: expect.arrayContaining(["items", "total", "page", "size", "pages"]),
    });
    const list = operations.find((o) => o.route === "GET /items")!.operation;
    const params = Object.fromEntries((list.parameters as { name: string; schema: Record<string, unknown> }[]).map((p) => [p.name, p.schema]));
    expect(params.size).toMatchObject({ maximum: 100, default: 50 });
    expect(params.sort).toMatchObject({ enum: ["created_at", "price", "title", "views", "id"] });
    expect(JSON.stringify(schemas.User)).not.toContain("password");
  });
});

describe("the docs pages", () => {
  const client = new TestClient(createApp({ settings: testSettings({ DATABASE_URL: "sqlite::memory:" }), logger: false }));
  afterAll(() => client.close());

  it("serve Swagger UI, ReDoc and the document", async () => {
    expect((await client.get("/docs")).text).toContain("Velox reference app - Swagger UI");
    expect((await client.get("/redoc")).status).toBe(200);
    expect((await client.get("/openapi.json")).json()).toEqual(JSON.parse(JSON.stringify(document)));
  });
});
