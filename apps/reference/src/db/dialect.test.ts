import { describe, expect, it } from "vitest";
import { sqlitePath } from "./connect.ts";
import { toCount, uniqueViolation } from "./dialect.ts";

describe("uniqueViolation", () => {
  it("reads PostgreSQL's constraint name", () => {
    expect(uniqueViolation({ code: "23505", constraint: "users_email_unique" })).toBe("email");
    expect(uniqueViolation({ code: "23505", constraint: "weird" })).toBe("weird");
    expect(uniqueViolation({ code: "23503", constraint: "items_owner_id_fkey" })).toBeUndefined();
  });

  it("reads SQLite's message", () => {
    expect(uniqueViolation({ code: "SQLITE_CONSTRAINT_UNIQUE", message: "UNIQUE constraint failed: users.username" })).toBe("username");
    expect(uniqueViolation({ code: "SQLITE_CONSTRAINT_FOREIGNKEY", message: "FOREIGN KEY constraint failed" })).toBeUndefined();
  });

  it("ignores anything else", () => {
    expect(uniqueViolation(new Error("boom"))).toBeUndefined();
    expect(uniqueViolation(null)).toBeUndefined();
  });
});

describe("sqlitePath and toCount", () => {
  it("parses SQLite URLs", () => {
    expect(sqlitePath("sqlite:///var/data/app.db")).toBe("/var/data/app.db");
    expect(sqlitePath("file:/tmp/x.db")).toBe("/tmp/x.db");
    expect(sqlitePath("sqlite::memory:")).toBe(":memory:");
    expect(sqlitePath("/abs/app.db")).toBe("/abs/app.db");
  });

  it("normalizes counts", () => {
    expect(toCount("12")).toBe(12);
    expect(toCount(3n)).toBe(3);
    expect(toCount(null)).toBe(0);
  });
});
