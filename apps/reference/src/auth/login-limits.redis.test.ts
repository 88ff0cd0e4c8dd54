import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { Velox } from "velox";
import { TestClient } from "velox/testing";
import { testSettings } from "../testing/app-harness.ts";
import { redisForTests } from "../testing/redis.ts";
import { loginLimits } from "./login-limits.ts";

const redis = await redisForTests();

describe.skipIf(redis.skip)("login limits with REDIS_URL", () => {
  const prefix = `velox-reference-test:${randomBytes(6).toString("hex")}`;
  const settings = testSettings({ REDIS_URL: redis.url, CHAT_REDIS_PREFIX: prefix, LOGIN_RATE_LIMIT_PER_ADDRESS: "2" });
  const admin = new Redis(redis.url);
  afterAll(async () => {
    await admin.del(`${prefix}:rl:login-address:127.0.0.1`); // the one key the test made
    admin.disconnect();
  });

  it("count in Redis, so every worker (here: two apps) shares the budget", async () => {
    const apps = [0, 1].map(() => {
      const limits = loginLimits(settings);
      const app = new Velox({ logger: false });
      app.post("/auth/token", { hooks: limits.perAddress.hooks }, () => ({ ok: true }));
      app.addHook("onClose", () => limits.close());
      return new TestClient(app);
    });
    for (const client of apps) await client.start();
    try {
      const statuses = [(await apps[0]!.post("/auth/token")).status, (await apps[1]!.post("/auth/token")).status, (await apps[0]!.post("/auth/token")).status];
      expect(statuses).toEqual([200, 200, 429]);
      expect(await admin.exists(`${prefix}:rl:login-address:127.0.0.1`)).toBe(1);
    } finally {
      for (const client of apps) await client.close();
    }
  });
});
