import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { Velox, type Dependency } from "../../src/index.ts";
import { rateLimit, type RateLimitStatus } from "../../src/ratelimit/index.ts";
import { resilience, type Guard } from "../../src/resilience/index.ts";

describe("velox/resilience types", () => {
  const policy = resilience({ timeoutMs: 100 });

  it("run and wrap keep the wrapped function's result and arguments", () => {
    expectTypeOf(policy.run(async () => ({ id: 1 }))).toEqualTypeOf<Promise<{ id: number }>>();
    expectTypeOf(policy.run(() => "sync")).toEqualTypeOf<Promise<string>>();
    expectTypeOf(policy.run(async () => 1, { fallback: () => "none" as const })).toEqualTypeOf<Promise<number | "none">>();
    const find = policy.wrap(async (signal: AbortSignal, id: number, name: string) => ({ id, name, aborted: signal.aborted }));
    expectTypeOf(find).parameters.toEqualTypeOf<[number, string]>();
    expectTypeOf(find).returns.resolves.toEqualTypeOf<{ id: number; name: string; aborted: boolean }>();
    // @ts-expect-error the wrapped function takes a number first
    void find("1", "x");
  });

  it("the dependency injects a Guard whose run keeps types", () => {
    expectTypeOf(policy.dependency).toEqualTypeOf<Dependency<Guard>>();
    new Velox().get("/x", { deps: { guard: policy.dependency } }, async ({ guard }) => {
      expectTypeOf(await guard.run(async (signal) => signal.aborted)).toEqualTypeOf<boolean>();
      return {};
    });
  });
});

describe("velox/ratelimit types", () => {
  const limiter = rateLimit({ limit: 5, windowMs: 60_000 });

  it("keyed sees its own validated inputs and injects the status", () => {
    const perUser = limiter.keyed({ form: { username: z.string() } }, ({ form }) => {
      expectTypeOf(form.username).toEqualTypeOf<string>();
      return form.username;
    });
    expectTypeOf(perUser).toEqualTypeOf<Dependency<RateLimitStatus | null>>();
    // @ts-expect-error a key is a string (or null/undefined to skip)
    limiter.keyed({}, () => 42);
  });
});
