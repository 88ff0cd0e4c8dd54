/**
 * What a consumer without the optional peers (light-my-request, swagger-ui-dist) gets: velox,
 * velox/server and velox/testing import fine; TestClient names the package to install.
 */
import { VeloxError } from "velox";
import { serveForTest, TestClient } from "velox/testing";
import { app } from "./app.js";

const live = await serveForTest(app);
const docs = await fetch(`${live.url}/docs`);
const spec = await fetch(`${live.url}/openapi.json`);
const report = {
  docs: { status: docs.status, body: await docs.text() },
  openapi: { status: spec.status, paths: Object.keys(((await spec.json()) as { paths: object }).paths) },
  testClient: await new TestClient(app)
    .get("/items/1")
    .then((res) => ({ ok: true, status: res.status, code: null, message: "" }))
    .catch((err: unknown) => ({ ok: false, status: 0, code: err instanceof VeloxError ? err.code : null, message: String((err as Error).message) })),
};
await live.close();
process.stdout.write(`${JSON.stringify(report)}\n`);
