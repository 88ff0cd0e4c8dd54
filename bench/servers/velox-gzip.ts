/** Velox with velox/middleware/compress (gzip, level 6, ≥ 1000 bytes) for the GZip bench row. */
import { Velox } from "velox";
import { compress } from "velox/middleware/compress";
import { z } from "zod";
import { HELLO } from "./fixtures.ts";
import { GZIP_USERS } from "./gzip-fixtures.ts";
import { HOST, serverPort } from "./port.ts";

const User = z.object({
  id: z.int(), username: z.string(), email: z.string(), firstName: z.string(), lastName: z.string(),
  age: z.int(), active: z.boolean(), role: z.string(), createdAt: z.string(), fields: z.string().nullable(),
});

const app = new Velox({ logger: false, openapi: { openapiUrl: null } });
app.register(compress({ encodings: ["gzip"], gzipLevel: 6, minimumSize: 1000 }));
app.get("/json", {}, () => HELLO);
app.get("/gzip", { response: z.array(User), validateResponse: false }, () => GZIP_USERS);
await app.listen({ port: serverPort(), host: HOST });
