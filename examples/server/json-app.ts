// The benchmark's /json workload, for measuring how throughput scales with workers (scaling.ts).
import { Velox } from "velox";

export const app = new Velox({ openapi: { openapiUrl: null } });
app.get("/json", {}, () => ({ message: "Hello, World!" }));
