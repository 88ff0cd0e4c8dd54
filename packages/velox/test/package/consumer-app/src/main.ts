/** Serves the consumer app in this process and prints its URL (read by ../consumer.test.ts). */
import { serve } from "velox/server";
import { app } from "./app.js";

const handle = await serve(app, { host: "127.0.0.1", port: 0, workers: 0 });
process.stdout.write(`LISTENING ${handle.url}\n`);
