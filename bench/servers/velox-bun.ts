/** The Velox contract server on Bun's native server (`Bun.serve`): `bun bench/servers/velox-bun.ts --port N`. */
import { serve } from "velox/server";
import { HOST, serverPort } from "./port.ts";
import { buildVeloxApp } from "./velox-app.ts";

const silent = { error() {}, warn() {}, info() {} };
await serve(buildVeloxApp({ usersBehindDeps: false }), { host: HOST, port: serverPort(), workers: 0, logger: silent, healthPath: false, readyPath: false, maxEventLoopDelayMs: 0 });
