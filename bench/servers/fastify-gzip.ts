/** Fastify 5 with @fastify/compress (gzip, zlib's default level 6, ≥ 1000 bytes) for the GZip bench row. */
import compress from "@fastify/compress";
import { Type } from "@sinclair/typebox";
import Fastify from "fastify";
import { HELLO } from "./fixtures.ts";
import { GZIP_USERS } from "./gzip-fixtures.ts";
import { HOST, serverPort } from "./port.ts";

const User = Type.Object({
  id: Type.Integer(), username: Type.String(), email: Type.String(), firstName: Type.String(), lastName: Type.String(),
  age: Type.Integer(), active: Type.Boolean(), role: Type.String(), createdAt: Type.String(), fields: Type.Optional(Type.String()),
});

const app = Fastify({ logger: false });
await app.register(compress, { global: true, encodings: ["gzip"], threshold: 1000 });
app.get("/json", async () => HELLO);
app.get("/gzip", { schema: { response: { 200: Type.Array(User) } } }, async () => GZIP_USERS);
await app.listen({ port: serverPort(), host: HOST });
