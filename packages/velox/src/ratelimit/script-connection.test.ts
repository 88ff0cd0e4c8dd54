import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { encode, ReplyError, ScriptConnection } from "./script-connection.ts";

/** A fake Redis: `answer` gets every chunk the client wrote and the socket to reply on. */
async function fakeRedis(answer: (data: string, socket: Socket) => void): Promise<{ url: string; server: Server; received: string[] }> {
  const received: string[] = [];
  const server = createServer((socket) => socket.on("data", (chunk) => {
    received.push(chunk.toString("latin1"));
    answer(chunk.toString("latin1"), socket);
  }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `redis://127.0.0.1:${(server.address() as { port: number }).port}`, server, received };
}

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

describe("ScriptConnection", () => {
  it("writes the commands of one turn in one write and matches replies arriving one byte at a time", async () => {
    const reply = "*4\r\n:1\r\n$3\r\n978\r\n$5\r\n80000\r\n$1\r\n0\r\n";
    const fake = await fakeRedis((data, socket) => {
      const count = data.split("*1\r\n").length - 1;
      const bytes = Buffer.from(reply.repeat(count));
      for (let i = 0; i < bytes.length; i++) setTimeout(() => socket.write(bytes.subarray(i, i + 1)), 0);
    });
    servers.push(fake.server);
    const connection = new ScriptConnection(fake.url, 2_000);
    const replies = await Promise.all([1, 2, 3].map(() => connection.call(encode(["PING"]))));
    expect(replies).toEqual([[1, "978", "80000", "0"], [1, "978", "80000", "0"], [1, "978", "80000", "0"]]);
    expect(fake.received).toHaveLength(1);
    connection.close();
  });

  it("reads integer arrays from the bytes, negatives too, split anywhere; writes a command dispatched now at once", async () => {
    const reply = "*8\r\n:1\r\n:999999999\r\n:59999940\r\n:0\r\n:-1\r\n:0\r\n:0\r\n:-42\r\n";
    const fake = await fakeRedis((_data, socket) => {
      const bytes = Buffer.from(reply);
      for (let i = 0; i < bytes.length; i += 3) setTimeout(() => socket.write(bytes.subarray(i, i + 3)), 0);
    });
    servers.push(fake.server);
    const connection = new ScriptConnection(fake.url, 2_000);
    const got = await new Promise((resolve, reject) => connection.dispatch(encode(["EVALSHA"]), { resolve, reject }, true));
    expect(got).toEqual([1, 999999999, 59999940, 0, -1, 0, 0, -42]);
    connection.close();
  });

  it("an integer past 15 digits, an empty one or one with a sign in the middle drops the connection", async () => {
    for (const bad of [":1234567890123456\r\n", ":\r\n", ":12-3\r\n", "*2\r\n:1\r\n:x\r\n"]) {
      const fake = await fakeRedis((_data, socket) => socket.write(bad));
      servers.push(fake.server);
      const connection = new ScriptConnection(fake.url, 2_000);
      await expect(connection.call(encode(["PING"]))).rejects.toThrow(/not a Redis integer/);
      connection.close();
    }
  });

  it("an error reply fails its own command only", async () => {
    const fake = await fakeRedis((_data, socket) => socket.write("-NOSCRIPT No matching script\r\n+OK\r\n"));
    servers.push(fake.server);
    const connection = new ScriptConnection(fake.url, 2_000);
    const [first, second] = await Promise.allSettled([connection.call(encode(["EVALSHA"])), connection.call(encode(["PING"]))]);
    expect(first.status === "rejected" && first.reason instanceof ReplyError && first.reason.message.startsWith("NOSCRIPT")).toBe(true);
    expect(second).toEqual({ status: "fulfilled", value: "OK" });
    connection.close();
  });

  it("a non-numeric length or a reply past 1 MiB drops the connection instead of buffering it", async () => {
    for (const bad of ["$abc\r\nxyz\r\n", "*1.5\r\n:1\r\n", `$${4 << 20}\r\n${"x".repeat((1 << 20) + 10)}`]) {
      const fake = await fakeRedis((_data, socket) => socket.write(bad));
      servers.push(fake.server);
      const connection = new ScriptConnection(fake.url, 2_000);
      await expect(connection.call(encode(["PING"]))).rejects.toThrow(/not a Redis|larger than 1 MiB/);
      connection.close();
    }
  });

  it("garbage or an unasked-for reply drops the connection: pending calls fail, and it reconnects", async () => {
    let mode: "garbage" | "extra" | "fine" = "garbage";
    const fake = await fakeRedis((_data, socket) => socket.write(mode === "garbage" ? "?what\r\n" : mode === "extra" ? "+OK\r\n+OK\r\n" : "+OK\r\n"));
    servers.push(fake.server);
    const connection = new ScriptConnection(fake.url, 2_000);
    await expect(connection.call(encode(["PING"]))).rejects.toThrow(/not a Redis reply/);
    await new Promise((r) => setTimeout(r, 60));
    mode = "extra";
    await expect(connection.call(encode(["PING"]))).resolves.toBe("OK");
    await new Promise((r) => setTimeout(r, 60));
    mode = "fine";
    await new Promise((r) => setTimeout(r, 60));
    await expect(connection.call(encode(["PING"]))).resolves.toBe("OK");
    connection.close();
  });

  it("a server that never answers fails every pending call at the timeout, with one timer", async () => {
    const fake = await fakeRedis(() => undefined);
    servers.push(fake.server);
    const connection = new ScriptConnection(fake.url, 100);
    const started = performance.now();
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => connection.call(encode(["PING"]))));
    expect(results.every((r) => r.status === "rejected" && /within 100 ms/.test(String(r.reason)))).toBe(true);
    expect(performance.now() - started).toBeLessThan(1_000);
    connection.close();
  });

  it("sends AUTH and SELECT from the URL before the first command", async () => {
    const fake = await fakeRedis((data, socket) => socket.write("+OK\r\n".repeat(data.split(/^\*/m).length - 1)));
    servers.push(fake.server);
    const url = fake.url.replace("redis://", "redis://user:p%40ss@") + "/3";
    const connection = new ScriptConnection(url, 2_000);
    await expect(connection.call(encode(["PING"]))).resolves.toBe("OK");
    expect(fake.received.join("")).toBe(encode(["AUTH", "user", "p@ss"]) + encode(["SELECT", "3"]) + encode(["PING"]));
    connection.close();
  });

  it("with nothing listening, fails at once and does not reconnect on every call", async () => {
    const connection = new ScriptConnection("redis://127.0.0.1:1", 1_000);
    await expect(connection.call(encode(["PING"]))).rejects.toThrow();
    await expect(connection.call(encode(["PING"]))).rejects.toThrow(/retrying shortly/);
    connection.close();
  });
});
