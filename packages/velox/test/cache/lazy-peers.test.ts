import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadedBy, SRC } from "../package/module-graph.ts";

describe("velox/cache's cost when unused", () => {
  it("imports lru-cache, ioredis and prom-client only on first use", () => {
    const { packages } = loadedBy(join(SRC, "cache/index.ts"));
    expect([...packages.keys()].filter((name) => ["lru-cache", "ioredis", "prom-client", "cockatiel"].includes(name))).toEqual([]);
  });
});
