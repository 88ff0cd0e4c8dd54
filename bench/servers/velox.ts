/** Velox contract server (see velox-app.ts). */
import { HOST, serverPort } from "./port.ts";
import { buildVeloxApp } from "./velox-app.ts";

await buildVeloxApp({ usersBehindDeps: false }).listen({ port: serverPort(), host: HOST });
