/** Velox contract server with velox/metrics on (see velox-batteries-app.ts). */
import { HOST, serverPort } from "./port.ts";
import { buildBatteriesApp } from "./velox-batteries-app.ts";

await buildBatteriesApp("metrics").listen({ port: serverPort(), host: HOST });
