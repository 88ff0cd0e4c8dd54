import { describe, expect, it } from "vitest";
import { HTTPException } from "../http-exception.ts";
import { notAuthenticated, parseAuthorization, quoteParam } from "./authorization.ts";

describe("parseAuthorization", () => {
  it("splits at the first space and keeps the scheme's case", () => {
    expect(parseAuthorization("Bearer abc.def")).toEqual({ scheme: "Bearer", credentials: "abc.def" });
    expect(parseAuthorization("Digest username=\"a\", realm=\"b c\"")).toEqual({ scheme: "Digest", credentials: "username=\"a\", realm=\"b c\"" });
  });

  it("returns empty parts for a missing header, and no credentials for a bare scheme", () => {
    expect(parseAuthorization(undefined)).toEqual({ scheme: "", credentials: "" });
    expect(parseAuthorization("")).toEqual({ scheme: "", credentials: "" });
    expect(parseAuthorization("Bearer")).toEqual({ scheme: "Bearer", credentials: "" });
    expect(parseAuthorization("Bearer    ")).toEqual({ scheme: "Bearer", credentials: "" });
  });

  it("trims the space around the credentials", () => {
    expect(parseAuthorization("  Bearer   tok  ")).toEqual({ scheme: "Bearer", credentials: "tok" });
  });
});

describe("notAuthenticated", () => {
  it("is FastAPI's 401 with the challenge", () => {
    const error = notAuthenticated("Basic realm=\"x\"");
    expect(error).toBeInstanceOf(HTTPException);
    expect(error.status).toBe(401);
    expect(error.detail).toBe("Not authenticated");
    expect(error.headers).toEqual({ "www-authenticate": "Basic realm=\"x\"" });
  });
});

describe("quoteParam", () => {
  it("escapes quotes and backslashes", () => {
    expect(quoteParam("a b")).toBe("\"a b\"");
    expect(quoteParam("say \"hi\" \\o/")).toBe("\"say \\\"hi\\\" \\\\o/\"");
  });
});
