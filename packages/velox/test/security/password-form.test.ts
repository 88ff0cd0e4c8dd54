import { afterEach, describe, expect, it } from "vitest";
import { OAuth2PasswordRequestForm, OAuth2PasswordRequestFormStrict, Velox } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

let client: TestClient | null = null;
afterEach(async () => {
  await client?.close();
  client = null;
});

function serve(): TestClient {
  const app = new Velox({ logger: false });
  app.post("/token", { deps: { login: OAuth2PasswordRequestForm } }, ({ login }) => login);
  app.post("/strict", { deps: { login: OAuth2PasswordRequestFormStrict } }, ({ login }) => login);
  client = new TestClient(app);
  return client;
}

describe("OAuth2PasswordRequestForm", () => {
  it("reads the form and splits scope into scopes", async () => {
    const res = await serve().post("/token", {
      form: { username: "johndoe", password: "secret", scope: "me  items\tadmin", client_id: "cli", client_secret: "s3" },
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ username: "johndoe", password: "secret", scopes: ["me", "items", "admin"], clientId: "cli", clientSecret: "s3" });
  });

  it("leaves optional fields out and scopes empty when not sent", async () => {
    const res = await serve().post("/token", { form: { username: "a", password: "b" } });
    expect(res.json()).toEqual({ username: "a", password: "b", scopes: [] });
  });

  it("accepts grant_type=password and refuses any other grant", async () => {
    const c = serve();
    expect((await c.post("/token", { form: { grant_type: "password", username: "a", password: "b" } })).json()).toMatchObject({ grantType: "password" });
    const bad = await c.post("/token", { form: { grant_type: "client_credentials", username: "a", password: "b" } });
    expect(bad.status).toBe(422);
    expect(bad.json()).toEqual({
      detail: [
        {
          type: "string_pattern_mismatch",
          loc: ["body", "grant_type"],
          msg: "String should match pattern '^password$'",
          input: "client_credentials",
          ctx: { pattern: "^password$" },
        },
      ],
    });
  });

  it("reports every missing field at once, empty values counting as missing (FastAPI)", async () => {
    const res = await serve().post("/token", { form: { username: "" } });
    expect(res.status).toBe(422);
    expect(res.json()).toEqual({
      detail: [
        { type: "missing", loc: ["body", "username"], msg: "Field required", input: null },
        { type: "missing", loc: ["body", "password"], msg: "Field required", input: null },
      ],
    });
  });

  it("refuses a repeated field instead of picking one", async () => {
    const res = await serve().post("/token", { form: { username: ["a", "b"], password: "p" } });
    expect(res.status).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ type: "string_type", loc: ["body", "username"] });
  });

  it("answers 415 to a JSON body", async () => {
    const res = await serve().post("/token", { json: { username: "a", password: "b" } });
    expect(res.status).toBe(415);
  });
});

describe("OAuth2PasswordRequestFormStrict", () => {
  it("requires grant_type", async () => {
    const c = serve();
    const missing = await c.post("/strict", { form: { username: "a", password: "b" } });
    expect(missing.status).toBe(422);
    expect(missing.json()).toEqual({ detail: [{ type: "missing", loc: ["body", "grant_type"], msg: "Field required", input: null }] });
    const ok = await c.post("/strict", { form: { grant_type: "password", username: "a", password: "b", scope: "me" } });
    expect(ok.json()).toEqual({ grantType: "password", username: "a", password: "b", scopes: ["me"] });
  });
});
