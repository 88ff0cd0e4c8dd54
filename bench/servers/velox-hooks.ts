/** Velox contract server with one no-op hook of each kind registered (see velox-app.ts). */
import { HOST, serverPort } from "./port.ts";
import { buildVeloxApp } from "./velox-app.ts";

await buildVeloxApp({ usersBehindDeps: false, noopHooks: true }).listen({ port: serverPort(), host: HOST });
