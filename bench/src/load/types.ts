import type { Placement } from "../pin.ts";

export interface LoadOptions {
  url: string;
  method: "GET" | "POST";
  /** JSON body for POST. */
  body?: string;
  seconds: number;
  connections: number;
  /** Core and niceness of the load generator. */
  place: Placement;
}

export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Responses outside 2xx (wrk counts 3xx as fine; no contract server answers 3xx). */
  non2xx: number;
  /** Connect, read, write errors and timeouts. */
  errors: number;
}

export type LoadTool = (opts: LoadOptions) => Promise<LoadResult>;
