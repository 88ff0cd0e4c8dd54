// Entry point of `npm run bench:uploads` (bench/src/uploads/cli.ts). The harness is TypeScript; tsx loads it.
import { register } from "tsx/esm/api";

register();
const { main } = await import("./src/uploads/cli.ts");
process.exit(await main(process.argv.slice(2)));
