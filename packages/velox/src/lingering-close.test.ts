import { connect, createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { LINGER_MS, lingerWhenClosing, lingeringClose } from "./lingering-close.ts";

let server: Server | null = null;
let errors: Error[] = [];
const opened: Socket[] = [];
afterEach(async () => {
  errors = [];
  for (const socket of opened.splice(0)) socket.destroy();
  await new Promise<void>((done) => (server === null ? done() : server.close(() => done())));
  server = null;
});

/** A TCP server whose one connection `onSocket` takes, and a client connected to it. */
async function pair(onSocket: (socket: Socket) => void): Promise<Socket> {
  server = createServer((socket) => {
    opened.push(socket);
    onSocket(socket);
  });
  await new Promise<void>((ready) => server!.listen(0, "127.0.0.1", ready));
  const { port } = server.address() as { port: number };
  const client = connect({ port, host: "127.0.0.1", allowHalfOpen: true });
  opened.push(client);
  client.on("error", (err) => errors.push(err));
  return client;
}

/** What the server sent until its FIN. */
function readUntilFin(client: Socket): Promise<string> {
  let received = "";
  client.on("data", (chunk: Buffer) => (received += chunk.toString()));
  return new Promise((fin) => client.once("end", () => fin(received)));
}

describe("lingeringClose", () => {
  it("sends the last bytes and a FIN, drops what still arrives, and closes as soon as the client does", async () => {
    let serverSide!: Socket;
    let heardAfterClose = 0;
    const client = await pair((socket) => {
      serverSide = socket;
      socket.on("data", () => heardAfterClose++);
      lingeringClose(socket, "bye");
    });
    expect(await readUntilFin(client)).toBe("bye");
    // The server still reads (and drops) while the client is sending.
    client.write(Buffer.alloc(256 * 1024));
    await new Promise((r) => setTimeout(r, 100));
    expect(errors).toEqual([]);
    const started = Date.now();
    const serverClosed = new Promise<void>((closed) => serverSide.once("close", () => closed()));
    client.end();
    await serverClosed;
    expect(Date.now() - started).toBeLessThan(LINGER_MS);
    // Its own readers were taken away: nothing more was handed to them.
    expect(heardAfterClose).toBe(0);
    client.destroy();
  });
});

describe("lingerWhenClosing", () => {
  it("replaces the socket's destroySoon with the lingering close, on that socket only", async () => {
    const client = await pair((socket) => {
      const before = socket.destroySoon;
      lingerWhenClosing(socket);
      expect(socket.destroySoon).not.toBe(before);
      expect(Object.hasOwn(socket, "destroySoon")).toBe(true);
      socket.write("answer");
      socket.destroySoon();
    });
    expect(await readUntilFin(client)).toBe("answer");
    // Half-closed, not destroyed: the client may still write without a reset.
    client.write(Buffer.alloc(64 * 1024));
    await new Promise((r) => setTimeout(r, 200));
    client.write(Buffer.alloc(64 * 1024));
    await new Promise((r) => setTimeout(r, 200));
    expect(errors).toEqual([]);
    expect(client.destroyed).toBe(false);
    client.destroy();
  });

  it("leaves alone what is not a socket node ends with destroySoon (a test double, or none)", () => {
    const double = { remoteAddress: "127.0.0.1" };
    lingerWhenClosing(double as never);
    expect(double).toEqual({ remoteAddress: "127.0.0.1" });
    expect(() => lingerWhenClosing(null)).not.toThrow();
  });
});
