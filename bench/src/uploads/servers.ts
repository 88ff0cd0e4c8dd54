/** The servers of the upload rows, started like the contract servers (compiled, pinned). */
import { join } from "node:path";
import { compiledServer } from "../compile-server.ts";
import { BENCH_DIR } from "../paths.ts";
import type { ServerDef } from "../registry.ts";

function uploadServer(name: string, label: string, file: string): ServerDef {
  return {
    name,
    label,
    node: true,
    command: async (port) => ({ cmd: process.execPath, args: [await compiledServer(join(BENCH_DIR, "servers", "uploads", file)), "--port", String(port)] }),
    unavailable: () => null,
  };
}

/** The baseline first: ratios are to it. */
export const UPLOAD_SERVERS: readonly ServerDef[] = [
  uploadServer("busboy", "bare @fastify/busboy pipe on node:http", "busboy-raw.ts"),
  uploadServer("velox", "Velox (form with file())", "velox-upload.ts"),
  uploadServer("fastify", "Fastify 5 + @fastify/multipart", "fastify-upload.ts"),
];
