/** Velox contract server with access log, metrics and tracing on (see velox-batteries-app.ts). */
import { HOST, serverPort } from "./port.ts";
import { buildBatteriesApp } from "./velox-batteries-app.ts";

await buildBatteriesApp("all").listen({ port: serverPort(), host: HOST });
