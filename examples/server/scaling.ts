// Measures GET /json throughput of `velox run` with 1 and 2 workers (and one process without a
// primary) using wrk, on 127.0.0.1 only. Run: `npx tsx examples/server/scaling.ts [seconds] [runs]`.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(import.meta.resolve("velox/package.json").replace("package.json", "bin/velox.js"));
const appPath = fileURLToPath(new URL("./json-app.ts", import.meta.url));
const seconds = Number(process.argv[2] ?? 10);
const runs = Number(process.argv[3] ?? 3);
const connections = 64;

function start(workers: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--conditions=velox-source", bin, "run", appPath, "--workers", String(workers), "--port", "0", "--max-event-loop-delay", "0"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let log = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(log);
      if (match) resolve({ child, url: match[1]! });
    });
    child.once("exit", () => reject(new Error(`server exited:\n${log}`)));
    setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not start:\n${log}`));
    }, 60_000).unref();
  });
}

function wrk(url: string, duration: number): { rps: number; p99ms: number } {
  const out = execFileSync("wrk", ["-t1", `-c${connections}`, `-d${duration}s`, "--latency", `${url}/json`], { encoding: "utf8" });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(out);
  const factor = p99?.[2] === "us" ? 0.001 : p99?.[2] === "s" ? 1000 : 1;
  return { rps, p99ms: p99 ? Number(p99[1]) * factor : NaN };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// All setups run at once (idle servers cost nothing) and the wrk runs interleave, so a change in
// the machine's background load hits every setup alike instead of skewing one of them.
const setups = [0, 1, 2];
const servers = await Promise.all(setups.map((workers) => start(workers)));
const results: { rps: number; p99ms: number }[][] = setups.map(() => []);
for (const { url } of servers) wrk(url, 2); // warm-up: JIT and connection setup
for (let run = 0; run < runs; run++) {
  servers.forEach(({ url }, i) => results[i]!.push(wrk(url, seconds)));
}
console.log(`cores: ${availableParallelism()}, wrk -t1 -c${connections}, ${runs} interleaved runs of ${seconds}s, median`);
console.log("| setup | requests/s | p99 latency |\n|---|---:|---:|");
setups.forEach((workers, i) => {
  const label = workers === 0 ? "1 process (--workers 0)" : `${workers} worker${workers > 1 ? "s" : ""} + primary`;
  const r = results[i]!;
  console.log(`| ${label} | ${Math.round(median(r.map((x) => x.rps)))} | ${median(r.map((x) => x.p99ms)).toFixed(2)} ms |`);
});
await Promise.all(servers.map(({ child }) => {
  child.kill("SIGTERM");
  return new Promise((resolve) => child.once("exit", resolve));
}));
