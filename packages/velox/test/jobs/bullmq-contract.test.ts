import { randomBytes } from "node:crypto";
import { bullmqEngine, type JobEngine } from "../../src/jobs/index.ts";
import { describeEngineContract } from "./engine-contract.ts";
import { describeRedis, TEST_REDIS_URL } from "./services.ts";

let engine: (JobEngine & { obliterate?: () => Promise<void> }) | undefined;
let cleanupEngine: JobEngine | undefined;
describeRedis("BullMQ engine", () => {
  describeEngineContract("velox/jobs on BullMQ (Redis)", {
    make: async () => {
      const prefix = `velox-test-${process.pid}-${randomBytes(4).toString("hex")}`;
      engine = bullmqEngine({ url: TEST_REDIS_URL, prefix });
      // A second engine on the same prefix removes the queues' keys after the first closed.
      cleanupEngine = bullmqEngine({ url: TEST_REDIS_URL, prefix });
      return engine;
    },
    cleanup: async () => {
      const c = cleanupEngine as JobEngine & { obliterate(): Promise<void> };
      await c.prepare(["shout", "flaky", "doomed", "permanent", "strict", "once", "later", "slow", "capped", "first", "second", "quick", "stubborn", "known"]);
      await c.obliterate();
      await c.close();
    },
    fastBackoff: { baseMs: 20, maxMs: 100, jitter: "none" },
  });
});
