/**
 * CPU time per request of the contract server with each battery alone and all together: a child
 * serves, this process sends keep-alive requests, and the child's user+system time (from
 * /proc/<pid>/stat) is divided by the requests. Steadier than req/s on a shared machine.
 * Run: npx tsx bench/observability/cpu-per-request.ts [requests] [variants...]
 */
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";

if (process.env.CPU_CHILD) {
  const { openSync } = await import("node:fs");
  const { BasicTracerProvider, BatchSpanProcessor } = await import("@opentelemetry/sdk-trace-base");
  const { accessLog, createLogger } = await import("velox/logging");
  const { metrics } = await import("velox/metrics");
  const { tracing } = await import("velox/tracing");
  const { buildVeloxApp } = await import("../servers/velox-app.ts");
  const kind = process.env.CPU_CHILD;
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor({ export: (_s, done) => done({ code: 0 }), shutdown: async () => {} })] });
  const logger = createLogger({ destination: openSync("/dev/null", "w") });
  const parts = new Set(kind === "all" ? ["log", "metrics", "trace", "scope"] : kind.split("+"));
  const app = buildVeloxApp({
    usersBehindDeps: false,
    app: { ...(parts.has("log") ? { logger } : {}), ...(parts.has("scope") ? { requestScope: true } : {}) },
    plugins: [
      ...(parts.has("log") ? [accessLog()] : []),
      ...(parts.has("metrics") ? [metrics()] : []),
      ...(parts.has("trace") ? [tracing({ tracer: provider.getTracer("bench"), contextManager: !parts.has("nocm") })] : []),
    ],
  });
  const server = await app.listen({ port: 0, host: "127.0.0.1" });
  process.send!({ port: (server.address() as { port: number }).port });
} else {
  const total = Number(process.argv[2] ?? 20_000);
  const variants = process.argv.slice(3).length > 0 ? process.argv.slice(3) : ["off", "metrics", "log", "trace", "scope", "all"];
  const cpu = (pid: number): number => {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // ms, at 100 ticks per second
  };
  const load = (port: number, n: number): Promise<void> => {
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    let sent = 0;
    const one = (): Promise<void> => new Promise((resolve) => {
      request({ host: "127.0.0.1", port, path: "/users/42?fields=name,email", agent }, (res) => { res.resume(); res.once("end", resolve); }).end();
    });
    const loop = async (): Promise<void> => { while (sent++ < n) await one(); };
    return Promise.all(Array.from({ length: 16 }, loop)).then(() => agent.destroy());
  };
  for (const variant of variants) {
    const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, CPU_CHILD: variant === "off" ? "none" : variant }, execArgv: process.execArgv });
    const port = await new Promise<number>((resolve) => child.once("message", (m: { port: number }) => resolve(m.port)));
    await load(port, total); // warm-up
    const before = cpu(child.pid!);
    await load(port, total);
    const ms = cpu(child.pid!) - before;
    console.log(`${variant.padEnd(16)} ${((ms * 1000) / total).toFixed(1).padStart(6)} µs CPU per request`);
    child.kill();
  }
}
