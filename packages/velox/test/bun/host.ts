/**
 * Serves a test app on Bun's native server: `bun host.ts <module> <export> [json serve options]`.
 * The export is an app or a function returning one. Prints `{"url": ...}` once listening; SIGTERM
 * drains it like any Velox server.
 */
import { pathToFileURL } from "node:url";
import { serve } from "../../src/server/index.ts";

const [modulePath, exportName = "app", rawOptions = "{}"] = process.argv.slice(2);
if (!modulePath) throw new Error("usage: bun host.ts <module> <export> [options]");
const mod = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
const found = mod[exportName];
const app = typeof found === "function" ? await (found as () => unknown)() : found;
const options = JSON.parse(rawOptions) as Record<string, unknown>;
const line = (level: string) => (o: object, m?: string) => void process.stderr.write(`${JSON.stringify({ level, msg: m, ...o })}\n`);
const verbose = process.env.VELOX_HOST_VERBOSE === "1";
const quiet = { error: line("error"), warn: verbose ? line("warn") : () => {}, info: verbose ? line("info") : () => {} };
const handle = await serve(app as Parameters<typeof serve>[0], { host: "127.0.0.1", port: 0, workers: 0, logger: quiet, ...options });
if (handle.role !== "worker") process.stdout.write(`${JSON.stringify({ url: handle.url, pid: process.pid, runtime: typeof (globalThis as { Bun?: unknown }).Bun === "undefined" ? "node" : "bun" })}\n`);
