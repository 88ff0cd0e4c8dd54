import { describe, expect, it } from "vitest";
import { z } from "zod";
import { HTMLResponse, HTTPException, JSONResponse, RequestValidationError, Router, Velox, type Logger } from "../src/index.ts";
import { TestClient } from "../src/testing/index.ts";

function capture(): { logger: Logger; errors: { obj: Record<string, unknown>; msg?: string }[] } {
  const errors: { obj: Record<string, unknown>; msg?: string }[] = [];
  return { errors, logger: { error: (obj, msg) => void errors.push({ obj: obj as Record<string, unknown>, msg }), warn() {}, info() {} } };
}

describe("errors", () => {
  it("answers HTTPException with its status, detail and headers", async () => {
    const app = new Velox({ logger: false });
    app.get("/a", {}, () => {
      throw new HTTPException(401, "Not authenticated", { "www-authenticate": "Bearer" });
    });
    app.get("/b", {}, () => {
      throw new HTTPException(409, { code: "duplicate", field: "email" });
    });
    const client = new TestClient(app);
    const a = await client.get("/a");
    expect([a.status, a.json(), a.headers["www-authenticate"]]).toEqual([401, { detail: "Not authenticated" }, "Bearer"]);
    expect((await client.get("/b")).json()).toEqual({ detail: { code: "duplicate", field: "email" } });
  });

  it("never leaks an unexpected error: 500 with a request id, the error logged", async () => {
    const { logger, errors } = capture();
    const app = new Velox({ logger });
    app.get("/boom", {}, () => {
      throw new Error("connection string postgres://secret@db");
    });
    const res = await new TestClient(app).get("/boom", { headers: { "x-request-id": "trace-1" } });
    expect(res.status).toBe(500);
    expect(res.text).toBe('{"detail":"Internal Server Error"}');
    expect(res.headers["x-request-id"]).toBe("trace-1");
    expect(errors[0]?.obj.requestId).toBe("trace-1");
    expect((errors[0]?.obj.err as Error).message).toContain("postgres://");
    const generated = await new TestClient(app).get("/boom", { headers: { "x-request-id": "bad id with spaces" } });
    expect(generated.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers 500 when a handler's value does not match its response model", async () => {
    const { logger, errors } = capture();
    const app = new Velox({ logger });
    const User = z.object({ id: z.int(), name: z.string() });
    app.get("/u", { response: User }, () => ({ id: "1", name: "ada" }) as never);
    app.get("/unchecked", { response: User, validateResponse: false }, () => ({ id: 1, name: "ada", secret: "x" }));
    const client = new TestClient(app);
    const res = await client.get("/u");
    expect(res.status).toBe(500);
    expect(String(errors[0]?.obj.err)).toContain("ResponseValidationError");
    expect((await client.get("/unchecked")).json()).toEqual({ id: 1, name: "ada" });
  });

  it("dispatches exception handlers by class along the prototype chain, and by status", async () => {
    class DomainError extends Error {}
    class NotFound extends DomainError {}
    const app = new Velox({ logger: false });
    app.exceptionHandler(DomainError, (err) => new JSONResponse({ domain: err.message }, { status: 400 }));
    app.exceptionHandler(404, () => new HTMLResponse("<h1>gone</h1>", { status: 404 }));
    app.exceptionHandler(RequestValidationError, (err) => new JSONResponse({ count: err.errors.length }, { status: 400 }));
    app.get("/nf", {}, () => {
      throw new NotFound("no such thing");
    });
    app.get("/q", { query: { n: z.int() } }, () => "ok");
    const client = new TestClient(app);
    expect((await client.get("/nf")).json()).toEqual({ domain: "no such thing" });
    const missing = await client.get("/nowhere");
    expect([missing.status, missing.text]).toEqual([404, "<h1>gone</h1>"]);
    expect((await client.get("/q")).json()).toEqual({ count: 1 });
  });

  it("prefers a router's handler for its routes", async () => {
    class Forbidden extends Error {}
    const app = new Velox({ logger: false });
    app.exceptionHandler(Forbidden, () => new JSONResponse({ from: "app" }, { status: 403 }));
    const admin = new Router({ prefix: "/admin" });
    admin.exceptionHandler(Forbidden, () => new JSONResponse({ from: "router" }, { status: 403 }));
    admin.get("/x", {}, () => {
      throw new Forbidden();
    });
    app.get("/y", {}, () => {
      throw new Forbidden();
    });
    app.include(admin);
    const client = new TestClient(app);
    expect((await client.get("/admin/x")).json()).toEqual({ from: "router" });
    expect((await client.get("/y")).json()).toEqual({ from: "app" });
  });

  it("falls back to the default answer when a handler throws", async () => {
    const app = new Velox({ logger: false });
    app.exceptionHandler(HTTPException, () => {
      throw new Error("handler bug");
    });
    app.get("/x", {}, () => {
      throw new HTTPException(418, "teapot");
    });
    const res = await new TestClient(app).get("/x");
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ detail: "Internal Server Error" });
  });

  it("speaks RFC 9457 problem+json when asked", async () => {
    const app = new Velox({ logger: false, errorFormat: "problem" });
    app.get("/items/{id}", { path: { id: z.int() } }, () => {
      throw new HTTPException(404, "Item not found");
    });
    const client = new TestClient(app);
    const notFound = await client.get("/items/1");
    expect(notFound.headers["content-type"]).toBe("application/problem+json");
    expect(notFound.json()).toEqual({ type: "about:blank", title: "Not Found", status: 404, detail: "Item not found", instance: "/items/1" });
    const invalid = await client.get("/items/x?y=1");
    expect(invalid.json()).toMatchObject({ title: "Unprocessable Entity", status: 422, instance: "/items/x", errors: [{ type: "int_parsing", loc: ["path", "id"] }] });
  });
});
