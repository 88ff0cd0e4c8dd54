#!/usr/bin/env node
// The `velox` command runs the compiled CLI (dist/). Under `--conditions=velox-source` (this
// repository's tests and scripts, docs/packaging.md) "#cli" is the TypeScript source instead, which
// needs tsx: a dev dependency here, never needed by an installed package.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = import.meta.resolve("#cli");
if (entry.endsWith(".ts")) {
  const { register } = await import("tsx/esm/api");
  register();
  globalThis[Symbol.for("velox.typescript-loader")] = "tsx";
} else if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    `velox: ${fileURLToPath(entry)} is missing. This is a source checkout of Velox: run \`npm run build\`, ` +
      "or run the command with `node --conditions=velox-source` to use the TypeScript sources.\n",
  );
  process.exit(1);
}
const { main } = await import(entry);
const code = await main(process.argv.slice(2));
if (code !== undefined) process.exit(code);
