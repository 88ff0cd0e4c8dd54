#!/usr/bin/env node
// The `velox` command. Velox ships TypeScript sources and apps are often TypeScript too: tsx's
// loader is registered first, then the CLI (packages/velox/src/server/cli/main.ts) takes over.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/server/cli/main.ts");
const code = await main(process.argv.slice(2));
if (code !== undefined) process.exit(code);
