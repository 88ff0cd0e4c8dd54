// Entry point of `npm run bench`. The harness is TypeScript; tsx loads it.
import { register } from "tsx/esm/api";

register();
const { main } = await import("./src/cli.ts");
// Exit explicitly: idle keep-alive sockets of the check's fetch calls would hold the process open.
process.exit(await main(process.argv.slice(2)));
