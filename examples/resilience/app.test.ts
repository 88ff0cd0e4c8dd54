import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TestClient } from "velox/testing";
import { app, getQuote, quotes, upstream } from "./app.ts";

describe("resilience example", () => {
  const client = new TestClient(app);
  beforeAll(() => client.start());
  afterAll(() => client.close());
  beforeEach(() => {
    upstream.calls = 0;
  });

  it("answers through the policy when the upstream is healthy", async () => {
    upstream.mode = "healthy";
    expect((await client.get("/quotes/ACME")).json()).toEqual({ symbol: "ACME", price: 42 });
    expect(await getQuote("XYZ")).toEqual({ symbol: "XYZ", price: 42 });
  });

  it("times out each attempt of a slow upstream and answers the fallback", async () => {
    upstream.mode = "slow";
    expect((await client.get("/quotes/ACME/or-stale")).json()).toEqual({ symbol: "ACME", price: null, stale: true });
    expect(upstream.calls).toBe(3); // the first attempt and 2 retries, each aborted at 100 ms
    upstream.mode = "healthy";
    expect((await client.get("/quotes/ACME")).status).toBe(200); // a success resets the breaker's count
  });

  it("retries, then opens the circuit: 503 with Retry-After without calling the upstream", async () => {
    upstream.mode = "failing";
    expect((await client.get("/quotes/ACME")).status).toBe(500);
    expect(upstream.calls).toBe(3);
    // Failures 4 and 5 open the circuit (threshold 5) during the next request's retries.
    expect((await client.get("/quotes/ACME")).status).toBe(503);
    upstream.calls = 0;
    const open = await client.get("/quotes/ACME");
    expect(quotes.state).toBe("open");
    expect(open.status).toBe(503);
    expect(Number(open.headers["retry-after"])).toBeGreaterThan(0);
    expect(upstream.calls).toBe(0);
  });
});
