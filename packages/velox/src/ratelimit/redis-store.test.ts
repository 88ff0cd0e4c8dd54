import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { gcraRule } from "./gcra.ts";
import { redisStore } from "./redis-store.ts";

/** A fake Redis answering each EVALSHA/EVAL write with `answer(command)`. */
async function fakeRedis(answer: (command: string) => string): Promise<{ url: string; server: Server; commands: string[] }> {
  const commands: string[] = [];
  const server = createServer((socket: Socket) =>
    socket.on("data", (chunk) => {
      const command = chunk.toString("utf8");
      commands.push(command);
      socket.write(answer(command));
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `redis://127.0.0.1:${(server.address() as { port: number }).port}`, server, commands };
}

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

const rule = gcraRule(10, 60_000);
/** How many buckets a command carries: its numkeys argument. */
const keysOf = (command: string) => Number(/\r\n\$40\r\n[0-9a-f]{40}\r\n\$\d+\r\n(\d+)\r\n/.exec(command)?.[1] ?? /EVAL\r\n\$\d+\r\n[\s\S]*?\r\n\$\d+\r\n(\d+)\r\n/.exec(command)?.[1]);

describe("redisStore over its own connection, against a fake Redis", () => {
  it("one call carries the turn's decisions; a bucket answered -1 (not ours) fails alone", async () => {
    const fake = await fakeRedis((command) => {
      const n = keysOf(command);
      return `*${4 * n}\r\n` + Array.from({ length: n }, (_, i) => (i === 1 ? ":-1\r\n:0\r\n:0\r\n:0\r\n" : `:1\r\n:${9 - i}\r\n:6000000\r\n:0\r\n`)).join("");
    });
    servers.push(fake.server);
    const store = redisStore({ url: fake.url, timeoutMs: 2_000 });
    const scope = store.scoped!("t:");
    const results = await Promise.allSettled(["a", "b", "c"].map((key) => scope.consume(key, rule, 1)));
    expect(fake.commands).toHaveLength(1);
    expect(results[0]).toEqual({ status: "fulfilled", value: { allowed: true, tat: 0, remaining: 9, resetMs: 6000, retryAfterMs: 0 } });
    expect(results[1]!.status === "rejected" && /not a GCRA time/.test(String(results[1]!.reason))).toBe(true);
    expect(results[2]).toMatchObject({ status: "fulfilled", value: { allowed: true, remaining: 7 } });
    await store.close!();
  });

  it("a reply of the wrong length fails every decision of its call, and the next call works", async () => {
    let broken = true;
    const fake = await fakeRedis((command) => (broken ? "*3\r\n:1\r\n:1\r\n:1\r\n" : `*${4 * keysOf(command)}\r\n` + ":0\r\n:0\r\n:5000\r\n:1500\r\n".repeat(keysOf(command))));
    servers.push(fake.server);
    const store = redisStore({ url: fake.url, timeoutMs: 2_000 });
    const results = await Promise.allSettled([store.consume("a", rule, 1), store.consume("b", rule, 1)]);
    expect(results.every((r) => r.status === "rejected" && /unexpected reply/.test(String(r.reason)))).toBe(true);
    broken = false;
    await expect(store.consume("a", rule, 1)).resolves.toEqual({ allowed: false, tat: 0, remaining: 0, resetMs: 5, retryAfterMs: 1.5 });
    await store.close!();
  });

  it("NOSCRIPT is answered once with EVAL and the script; a second NOSCRIPT fails the call", async () => {
    let noscripts = 1;
    const fake = await fakeRedis((command) => (noscripts-- > 0 ? "-NOSCRIPT No matching script\r\n" : `*${4 * keysOf(command)}\r\n` + ":1\r\n:9\r\n:6000000\r\n:0\r\n".repeat(keysOf(command))));
    servers.push(fake.server);
    const store = redisStore({ url: fake.url, timeoutMs: 2_000 });
    await expect(store.consume("a", rule, 1)).resolves.toMatchObject({ allowed: true, remaining: 9 });
    expect(fake.commands.map((c) => /\$(7\r\nEVALSHA|4\r\nEVAL)/.exec(c)?.[1]?.split("\r\n")[1])).toEqual(["EVALSHA", "EVAL"]);
    noscripts = 2;
    await expect(store.consume("a", rule, 1)).rejects.toThrow(/NOSCRIPT/);
    await store.close!();
  });

  it("consumeThen answers what settle returns, what fail returns when the bucket fails, and rejects with what either throws", async () => {
    const fake = await fakeRedis((command) => `*${4 * keysOf(command)}\r\n` + [":1\r\n:9\r\n:6000000\r\n:0\r\n", ":0\r\n:0\r\n:60000000\r\n:6000000\r\n", ":-1\r\n:0\r\n:0\r\n:0\r\n", ":-1\r\n:0\r\n:0\r\n:0\r\n"].join(""));
    servers.push(fake.server);
    const store = redisStore({ url: fake.url, timeoutMs: 2_000 });
    const scope = store.scoped!("t:");
    const settle = (tag: string, d: { allowed: boolean; remaining: number }) => {
      if (!d.allowed) throw new Error(`${tag}: 429`);
      return `${tag}: ${d.remaining} left`;
    };
    const fail = (tag: string, error: unknown) => {
      if (tag === "closed") throw new Error(`${tag}: 503`);
      return `${tag}: open (${String(error).slice(0, 30)})`;
    };
    const results = await Promise.allSettled(["a", "b", "open", "closed"].map((tag) => scope.consumeThen!(tag, rule, 1, tag, settle, fail)));
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : String(r.reason)))).toEqual(["a: 9 left", "Error: b: 429", "open: open (Error: rate-limit store: the b)", "Error: closed: 503"]);
    await store.close!();
  });
});
