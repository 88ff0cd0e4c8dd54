import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "velox/testing";
import { app, flaky, outbox } from "./app.ts";


async function until(predicate: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("jobs example", () => {
  const client = new TestClient(app);
  beforeAll(async () => {
    process.env.VELOX_JOBS_WORKER = "1"; // what `velox run --jobs` sets
    await client.start();
  });
  afterAll(async () => {
    await client.close();
    delete process.env.VELOX_JOBS_WORKER;
  });

  it("sends the welcome mail once per address", async () => {
    const first = await client.post("/signup", { json: { email: "ada@example.com", name: "Ada" } });
    const again = await client.post("/signup", { json: { email: "ada@example.com", name: "Ada" } });
    expect(first.status).toBe(202);
    expect(again.json()).toEqual({ job: first.json<{ job: string }>().job, duplicate: true });
    await until(() => outbox.includes("ada@example.com: Welcome, Ada!"), "the mail");
    expect(outbox.filter((m) => m.startsWith("ada@"))).toHaveLength(1);
  });

  it("refuses a bad payload before storing anything", async () => {
    expect((await client.post("/signup", { json: { email: "not-an-address", name: "X" } })).status).toBe(422);
  });

  it("keeps a mail that failed every attempt, and retries it from the admin route", async () => {
    flaky.add("bob@example.com");
    await client.post("/signup", { json: { email: "bob@example.com", name: "Bob" } });
    let failed: { id: string; attempts: number; error: { message: string } }[] = [];
    await until(async () => (failed = (await client.get("/jobs/failed")).json()).length === 1, "the dead letter");
    expect(failed[0]).toMatchObject({ attempts: 3, error: { message: "mail server busy (attempt 3)" } });
    flaky.delete("bob@example.com");
    expect((await client.post(`/jobs/failed/${failed[0]!.id}/retry`)).status).toBe(202);
    await until(() => outbox.includes("bob@example.com: Welcome, Bob!"), "the retried mail");
  });

  it("dead-letters a permanent failure at once", async () => {
    await client.post("/signup", { json: { email: "x@invalid.example", name: "X" } });
    await until(async () => (await client.get("/jobs/failed")).json<unknown[]>().length === 1, "the dead letter");
    expect((await client.get("/jobs/failed")).json()).toMatchObject([{ attempts: 1, error: { name: "PermanentJobError" } }]);
  });
});
