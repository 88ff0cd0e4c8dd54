/**
 * Sends an exact number of requests over a few keep-alive connections, each connection one request
 * at a time, so the server sees a known amount of work (time-based tools such as wrk cannot say).
 */
import { Agent, request } from "node:http";
import type { Workload } from "../workloads.ts";

export interface CountResult {
  sent: number;
  non2xx: number;
  /** Requests that got no answer (socket error or timeout). */
  errors: number;
  /** The first unexpected status or error, for the report. */
  firstProblem: string | null;
}

/** Under instrumentation a slow server can take seconds per request; a minute means it is stuck. */
const REQUEST_TIMEOUT_MS = 60_000;

export class CountClient {
  private readonly agent: Agent;
  private readonly target: URL;

  /**
   * @example
   * ```ts
   * const client = new CountClient("http://127.0.0.1:3000", 4);
   * const result = await client.send(WORKLOADS[0]!, 3000);
   * client.close();
   * ```
   */
  constructor(baseUrl: string, private readonly connections = 4) {
    this.target = new URL(baseUrl);
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  /** Sends `count` requests of the workload and waits for every answer. */
  async send(w: Workload, count: number): Promise<CountResult> {
    const result: CountResult = { sent: 0, non2xx: 0, errors: 0, firstProblem: null };
    const body = w.body === undefined ? undefined : Buffer.from(w.body);
    const headers: Record<string, string> = body ? { "content-type": "application/json", "content-length": String(body.length) } : {};
    const lane = async () => {
      while (result.sent < count) {
        result.sent++;
        const problem = await this.one(w, headers, body);
        if (problem === null) continue;
        if (problem.startsWith("status")) result.non2xx++;
        else result.errors++;
        result.firstProblem ??= problem;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.connections, count) }, lane));
    return result;
  }

  close(): void {
    this.agent.destroy();
  }

  /** One request: null when it was answered 2xx, else what went wrong. */
  private one(w: Workload, headers: Record<string, string>, body: Buffer | undefined): Promise<string | null> {
    return new Promise((resolve) => {
      const req = request(
        { agent: this.agent, host: this.target.hostname, port: this.target.port, method: w.method, path: w.path, headers },
        (res) => {
          const status = res.statusCode ?? 0;
          res.resume();
          res.once("end", () => resolve(status >= 200 && status < 300 ? null : `status ${status} for ${w.method} ${w.path}`));
          res.once("error", (err) => resolve(`error ${err.message}`));
        },
      );
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
      req.once("error", (err) => resolve(`error ${err.message}`));
      req.end(body);
    });
  }
}
