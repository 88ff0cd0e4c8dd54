import { pgBossEngine } from "../../src/jobs/index.ts";
import { describeEngineContract } from "./engine-contract.ts";
import { describePostgres, dropSchema, schemaName, TEST_POSTGRES_URL } from "./services.ts";

let schema = "";
describePostgres("pg-boss engine", () => {
  describeEngineContract("velox/jobs on pg-boss (PostgreSQL)", {
    make: async () => {
      schema = schemaName();
      return pgBossEngine({ connectionString: TEST_POSTGRES_URL, schema, max: 3 });
    },
    cleanup: () => dropSchema(schema),
    fastBackoff: { baseMs: 0, maxMs: 0, jitter: "none" },
  });
});
