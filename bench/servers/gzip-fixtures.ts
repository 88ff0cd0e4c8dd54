/** The GZip bench row's response: 10 KiB of JSON (52 users of workload 2), the same for every server. */
import { makeUser } from "./fixtures.ts";

export const GZIP_USERS = Array.from({ length: 52 }, (_, i) => makeUser(i + 1, "name,email"));
export const GZIP_BYTES = Buffer.byteLength(JSON.stringify(GZIP_USERS));
