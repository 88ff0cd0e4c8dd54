import { randomBytes } from "node:crypto";
import { createApp } from "./app.ts";
import { fakeUsersDb } from "./users.ts";

// Run: JWT_SECRET=$(openssl rand -hex 32) npx tsx --conditions=velox-source examples/oauth2-jwt/main.ts
// Then: curl -d "username=johndoe&password=secret" http://127.0.0.1:8000/token
const secret = process.env.JWT_SECRET ?? randomBytes(32).toString("hex");
if (!process.env.JWT_SECRET) console.warn("JWT_SECRET is not set: using a random secret, tokens die with the process");

const app = createApp({ users: fakeUsersDb(), jwtSecret: secret });
const port = Number(process.env.PORT ?? 8000);
await app.listen({ port, host: "127.0.0.1" });
console.log(`listening on http://127.0.0.1:${port}`);
