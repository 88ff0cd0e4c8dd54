import { describe, expect, it } from "vitest";
import { findServer } from "../registry.ts";
import { warmupRequests } from "./warm-up.ts";

describe("warmupRequests", () => {
  it("is 10,000 for Node and Python servers, 30,000 for Elysia and 100,000 for Velox on Bun unless asked for", () => {
    expect(warmupRequests(findServer("raw")!, null)).toBe(10_000);
    expect(warmupRequests(findServer("fastapi")!, null)).toBe(10_000);
    expect(warmupRequests(findServer("elysia")!, null)).toBe(30_000);
    expect(warmupRequests(findServer("velox-bun")!, null)).toBe(100_000);
    expect(warmupRequests(findServer("elysia")!, 0)).toBe(0);
    expect(warmupRequests(findServer("velox")!, 2000)).toBe(2000);
  });
});
