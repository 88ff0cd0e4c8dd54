import { describe, expect, it } from "vitest";
import { parseWrk } from "./wrk-parse.ts";

const SAMPLE = `Running 10s test @ http://127.0.0.1:3000/json
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   640.10us  120.30us   8.10ms   91.20%
    Req/Sec    77.60k     2.10k   80.10k    71.00%
  Latency Distribution
     50%  612.00us
     75%  680.00us
     90%  750.00us
     99%    1.21ms
  772663 requests in 10.00s, 118.63MB read
  Non-2xx or 3xx responses: 3
  Socket errors: connect 0, read 2, write 0, timeout 1
Requests/sec:  77265.90
Transfer/sec:     11.86MB
`;

describe("parseWrk", () => {
  it("reads throughput, percentiles in any unit, non-2xx and socket errors", () => {
    expect(parseWrk(SAMPLE)).toEqual({ rps: 77265.9, p50Ms: 0.612, p99Ms: 1.21, requests: 772663, non2xx: 3, errors: 3 });
  });

  it("treats absent error lines as zero", () => {
    const clean = SAMPLE.replace(/ {2}Non-2xx.*\n/, "").replace(/ {2}Socket errors.*\n/, "");
    expect(parseWrk(clean)).toMatchObject({ non2xx: 0, errors: 0 });
  });

  it("rejects output without the latency distribution", () => {
    expect(() => parseWrk(SAMPLE.replace(/ {5}50%.*\n/, ""))).toThrow(/50%/);
  });
});
