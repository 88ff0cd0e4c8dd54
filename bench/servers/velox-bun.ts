/**
 * The Velox contract server on Bun's native server (`Bun.serve`): `bun bench/servers/velox-bun.ts --port N
 * [--workers N]` — with workers, Velox's own `serve()` runs N processes sharing the port (reusePort).
 */
import { serve } from "velox/server";
import { HOST, serverPort } from "./port.ts";
import { buildVeloxApp } from "./velox-app.ts";

const silent = { error() {}, warn() {}, info() {} };
const at = process.argv.indexOf("--workers");
const workers = at === -1 ? 0 : Number(process.argv[at + 1]);
await serve(buildVeloxApp({ usersBehindDeps: false }), { host: HOST, port: serverPort(), workers, logger: silent, healthPath: false, readyPath: false, maxEventLoopDelayMs: 0 });
