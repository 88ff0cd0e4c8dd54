import { describe, expect, it } from "vitest";
import { envName } from "./env-name.ts";

describe("envName", () => {
  it("upper-snake-cases snake and camel field names", () => {
    expect(envName("jwt_secret")).toBe("JWT_SECRET");
    expect(envName("jwtSecret")).toBe("JWT_SECRET");
    expect(envName("databaseURL")).toBe("DATABASE_URL");
    expect(envName("port")).toBe("PORT");
    expect(envName("argon2MemoryKib")).toBe("ARGON2_MEMORY_KIB");
  });

  it("prepends the prefix", () => {
    expect(envName("jwt_secret", "APP_")).toBe("APP_JWT_SECRET");
  });
});
