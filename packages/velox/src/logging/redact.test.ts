import { describe, expect, it } from "vitest";
import { CENSOR, createRedactor } from "./redact.ts";

describe("createRedactor", () => {
  const redact = createRedactor();

  it("censors credentials in headers and password/token/secret-like fields at any depth", () => {
    const record = {
      user: "ada",
      password: "hunter2",
      headers: { authorization: "Bearer abc", cookie: "sid=1", "set-cookie": ["a=1"], "x-api-key": "k", accept: "*/*" },
      body: { items: [{ refresh_token: "r", name: "x" }], newPassword: "p", clientSecret: "s" },
    };
    expect(redact(record)).toEqual({
      user: "ada",
      password: CENSOR,
      headers: { authorization: CENSOR, cookie: CENSOR, "set-cookie": CENSOR, "x-api-key": CENSOR, accept: "*/*" },
      body: { items: [{ refresh_token: CENSOR, name: "x" }], newPassword: CENSOR, clientSecret: CENSOR },
    });
  });

  it("never changes the caller's object and returns it as is when nothing is sensitive", () => {
    const record = { nested: { password: "x" }, other: { a: 1 } };
    const out = redact(record);
    expect(record.nested.password).toBe("x");
    expect(out.other).toBe(record.other);
    const clean = { a: 1, b: { c: [1, 2] } };
    expect(redact(clean)).toBe(clean);
  });

  it("leaves errors, dates, buffers and ordinary names alone (bypass is not a password)", () => {
    const err = new Error("boom");
    const out = redact({ err, at: new Date(0), data: Buffer.from("x"), bypass: true, route: "/login" });
    expect(out.err).toBe(err);
    expect(out.bypass).toBe(true);
  });

  it("stops at a depth limit and survives cycles", () => {
    const cyclic: Record<string, unknown> = { password: "x" };
    cyclic.self = cyclic;
    expect(() => redact(cyclic)).not.toThrow();
  });

  it("adds exact names and patterns, and can drop the defaults", () => {
    const custom = createRedactor(["ssn", /^x-internal-/i], false);
    expect(custom({ ssn: "1", "X-Internal-Id": "2", password: "kept" })).toEqual({ ssn: CENSOR, "X-Internal-Id": CENSOR, password: "kept" });
  });
});
