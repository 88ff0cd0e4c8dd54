// Runs one autocannon measurement in its own process (so it can be pinned to a core) and prints
// the result as JSON. Argument: the JSON-encoded LoadOptions.
import autocannon from "autocannon";

const o = JSON.parse(process.argv[2]);
const result = await autocannon({
  url: o.url,
  method: o.method,
  body: o.body,
  headers: o.body ? { "content-type": "application/json" } : {},
  connections: o.connections,
  duration: o.seconds,
});
const out = {
  rps: result.requests.average,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  requests: result.requests.total,
  non2xx: result.non2xx,
  errors: result.errors + result.timeouts,
};
process.stdout.write(JSON.stringify(out));
