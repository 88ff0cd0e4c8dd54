/** Velox contract server with /users behind a two-level dependency chain (see velox-app.ts). */
import { HOST, serverPort } from "./port.ts";
import { buildVeloxApp } from "./velox-app.ts";

await buildVeloxApp({ usersBehindDeps: true }).listen({ port: serverPort(), host: HOST });
