/** Baseline: node:http with hand-written routing, validation and serialization (ratio 1.00). */
import { createServer } from "node:http";
import { HOST, serverPort } from "./port.ts";
import { rawHandler } from "./raw-app.ts";

createServer(rawHandler).listen(serverPort(), HOST);
