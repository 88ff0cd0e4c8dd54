import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { Velox } from "velox";
import { clientAddress, requestProtocol } from "velox/server";

/** A stand-in for a database pool: opened at startup, closed at shutdown, pinged by /ready. */
class Pool {
  open = true;
  async ping(): Promise<boolean> {
    await sleep(1);
    return this.open;
  }
  async close(): Promise<void> {
    this.open = false;
  }
}

export const app = new Velox({
  title: "Server example",
  async *lifespan() {
    const pool = new Pool();
    yield { pool };
    // Runs after the last in-flight request and background task, during a graceful shutdown.
    await pool.close();
  },
});

app.get("/", {}, () => ({ message: "Hello from a Velox worker", pid: process.pid }));

// Behind a proxy named by trustProxy, this is the real client, not the proxy.
app.get("/whoami", {}, ({ req }) => ({ ip: clientAddress(req), protocol: requestProtocol(req) }));

app.post("/reports", { body: z.object({ name: z.string().min(1) }), status: 202 }, ({ body, background }) => {
  // A graceful shutdown waits for this before the lifespan cleanup.
  background.add(async () => {
    await sleep(200);
    console.log(`report ${body.name} written`);
  });
  return { accepted: body.name };
});

/** Readiness checks for `serve()`: `/ready` answers 503 while one fails. */
export const readinessChecks = [
  { name: "db", timeoutMs: 500, check: () => (app.state.pool as Pool | undefined)?.ping() ?? false },
];
