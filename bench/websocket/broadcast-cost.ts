// The send side of a broadcast alone: CPU time to write one message to N open connections,
// for ws's send loop with a string (what most apps write), ws's send loop with one shared Buffer,
// and Velox's hub (serialize once, frame once with ws's Sender.frame, the same bytes to every
// socket). Subscribers run in a child process that reads and discards, so kernel buffers drain.
//
//   npx tsx bench/websocket/broadcast-cost.ts [--clients 100] [--messages 20000] [--rounds 5] [--burst 1]
import { fork } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { silentLogger } from "../../packages/velox/src/logger.ts";
import type { WebSocketConnection } from "../../packages/velox/src/websocket/connection.ts";
import { WebSocketEngine } from "../../packages/velox/src/websocket/engine.ts";
import { Hub } from "../../packages/velox/src/websocket/hub.ts";
import { compileCodec } from "../../packages/velox/src/websocket/message-codec.ts";
import { resolveLimits } from "../../packages/velox/src/websocket/options.ts";

const { values } = parseArgs({
  options: {
    clients: { type: "string", default: "100" },
    messages: { type: "string", default: "20000" },
    rounds: { type: "string", default: "5" },
    burst: { type: "string", default: "1" },
    child: { type: "boolean", default: false },
    port: { type: "string" },
  },
});

if (values.child) {
  const { Subscriber } = await import("./clients.ts");
  const subs = Array.from({ length: Number(values.clients) }, () => Subscriber.open(Number(values.port), "velox", "bench", () => undefined));
  await Promise.all(subs.map((s) => s.ready));
  process.send!("ready");
} else {
  const hub = new Hub();
  const sockets: WebSocketConnection[] = [];
  const engine = new WebSocketEngine(silentLogger);
  const route = engine.compile({
    where: "WS /ws",
    limits: resolveLimits("WS /ws", { rateLimit: false, origins: "*", maxBufferedAmount: 1 << 30 }),
    codec: compileCodec(undefined, undefined),
    onInvalidMessage: "error",
    subprotocols: [],
    handler: async (socket) => {
      sockets.push(socket);
      await hub.join("bench", socket);
      await socket.closed;
    },
  });
  const server = createServer();
  server.on("upgrade", (req, socket, head) => engine.upgrade(route, req, socket, head, () => ({ ok: true, ctx: {} })));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const child = fork(fileURLToPath(import.meta.url), ["--child", "--port", String(port), "--clients", values.clients!], { execArgv: ["--import", "tsx"] });
  await new Promise<void>((r) => child.once("message", () => r()));
  while (sockets.length < Number(values.clients)) await new Promise((r) => setTimeout(r, 10));

  const N = Number(values.messages);
  const event = (i: number) => ({ type: "message", room: "bench", user: { id: 42, username: "ada" }, content: `hello number ${i}`, timestamp: new Date(0).toISOString() });
  child.once("exit", (code) => {
    console.error(`the subscribers' process exited (${code}); figures after this are void`);
    process.exit(1);
  });
  const drain = async () => {
    const deadline = Date.now() + 60_000;
    while (sockets.some((s) => s.isOpen && s.raw.bufferedAmount > 0)) {
      if (Date.now() > deadline) throw new Error("the subscribers stopped reading");
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  // --burst B: B broadcasts per event-loop turn (1 = each message alone, as a quiet chat room;
  // larger = a publisher's burst, where corking lets one writev carry several frames).
  const burst = Number(values.burst);
  const perTurn = (one: (i: number) => void) => async () => {
    for (let i = 0; i < N; i++) {
      one(i);
      if ((i + 1) % burst === 0) await new Promise((r) => setImmediate(r));
    }
  };
  const cases: Record<string, () => Promise<void>> = {
    "ws send loop (string)": perTurn((i) => {
      const text = JSON.stringify(event(i));
      for (const s of sockets) s.raw.send(text);
    }),
    "ws send loop (shared Buffer)": perTurn((i) => {
      const buf = Buffer.from(JSON.stringify(event(i)));
      for (const s of sockets) s.raw.send(buf, { binary: false });
    }),
    "velox hub.broadcast": perTurn((i) => void hub.broadcast("bench", event(i))),
  };
  const times = new Map<string, number[]>(Object.keys(cases).map((k) => [k, []]));
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const [name, run] of Object.entries(cases)) {
      await drain();
      const t0 = process.cpuUsage();
      const w0 = performance.now();
      await run();
      await drain();
      const cpu = process.cpuUsage(t0);
      const wall = performance.now() - w0;
      times.get(name)!.push((cpu.user + cpu.system) / 1000);
      console.error(`round ${round + 1} ${name}: ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU, ${wall.toFixed(0)} ms wall`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = median(times.get("ws send loop (string)")!);
  console.log(`\nBroadcast send cost: ${N} messages × ${values.clients} connections, ${burst} per event-loop turn, ${values.rounds} rounds (median CPU of the server process, including draining)\n`);
  console.log("| sender | CPU ms | deliveries/s of CPU | speed vs ws string loop |");
  console.log("|---|---|---|---|");
  for (const [name, xs] of times) {
    const m = median(xs);
    console.log(`| ${name} | ${m.toFixed(0)} | ${Math.round((N * Number(values.clients)) / (m / 1000)).toLocaleString("en")} | ${(base / m).toFixed(2)}× |`);
  }
  child.removeAllListeners("exit");
  child.kill();
  process.exit(0);
}
