import { join } from "node:path";
import { sqliteEngine } from "../../src/jobs/index.ts";
import { describeEngineContract } from "./engine-contract.ts";
import { tempDir } from "./helpers.ts";

let dir: ReturnType<typeof tempDir> | undefined;
describeEngineContract("velox/jobs on the SQLite engine", {
  make: async () => {
    dir = tempDir();
    return sqliteEngine({ path: join(dir.dir, "jobs.db") });
  },
  cleanup: async () => dir?.cleanup(),
  fastBackoff: { baseMs: 20, maxMs: 100, jitter: "none" },
});
