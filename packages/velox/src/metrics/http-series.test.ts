import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { httpCollectors } from "./http-collectors.ts";
import { HttpSeries } from "./http-series.ts";
import { methodLabel, statusLabel, UNMATCHED_ROUTE } from "./semantic.ts";

function registryOf(series: HttpSeries): Registry {
  const registry = new Registry();
  for (const metric of httpCollectors(series)) registry.registerMetric(metric as never);
  return registry;
}

describe("HttpSeries", () => {
  it("counts into OpenTelemetry's duration buckets, cumulative in the exposition", async () => {
    const series = new HttpSeries(10);
    series.observe("GET", "/items/{id}", 200, 0.004, 0, 100);
    series.observe("GET", "/items/{id}", 200, 0.3, 0, 5000);
    series.observe("GET", "/items/{id}", 200, 12, 0, -1);
    const text = await registryOf(series).metrics();
    const labels = 'http_request_method="GET",http_route="/items/{id}",http_response_status_code="200"';
    expect(text).toContain(`http_server_request_duration_seconds_bucket{${labels},le="0.005"} 1`);
    expect(text).toContain(`http_server_request_duration_seconds_bucket{${labels},le="0.25"} 1`);
    expect(text).toContain(`http_server_request_duration_seconds_bucket{${labels},le="0.5"} 2`);
    expect(text).toContain(`http_server_request_duration_seconds_bucket{${labels},le="10"} 2`);
    expect(text).toContain(`http_server_request_duration_seconds_bucket{${labels},le="+Inf"} 3`);
    expect(text).toContain(`http_server_request_duration_seconds_count{${labels}} 3`);
    expect(text).toMatch(new RegExp(`http_server_request_duration_seconds_sum\\{${labels.replace(/[{}]/g, "\\$&")}\\} 12\\.304`));
    // The unknown response size (a stream without Content-Length) is not observed.
    expect(text).toContain(`http_server_response_body_size_bytes_count{${labels}} 2`);
    expect(text).toContain(`http_server_response_body_size_bytes_sum{${labels}} 5100`);
    expect(text).toContain("# TYPE http_server_active_requests gauge");
  });

  it("refuses label sets past the cap and counts the refusals, still counting known ones", async () => {
    const series = new HttpSeries(2);
    series.observe("GET", "/a", 200, 0.01, 0, 0);
    series.observe("GET", "/b", 200, 0.01, 0, 0);
    for (let i = 0; i < 50; i++) series.observe("GET", "/c", 200 + (i % 3), 0.01, 0, 0);
    series.observe("GET", "/a", 200, 0.01, 0, 0);
    expect(series.size).toBe(2);
    expect(series.refused).toBe(50);
    const text = await registryOf(series).metrics();
    expect(text).toContain("velox_metrics_series_refused_total 50");
    expect(text).not.toContain('http_route="/c"');
    expect(text).toContain('http_request_method="GET",http_route="/a",http_response_status_code="200"} 2');
  });

  it("tells a route's cells apart by method and status (one route, several label sets)", () => {
    const series = new HttpSeries(10);
    series.observe("GET", "/items", 200, 0.001, 0, 10);
    series.observe("POST", "/items", 200, 0.001, 20, 10);
    series.observe("GET", "/items", 404, 0.001, 0, 10);
    series.observe("GET", "/items", 200, 0.001, 0, 10);
    series.observe("POST", "/items", 201, 0.001, 20, 10);
    const counts = series.cells.map((c) => `${c.method} ${c.status} ${c.count}`);
    expect(counts).toEqual(["GET 200 2", "POST 200 1", "GET 404 1", "POST 201 1"]);
    series.reset();
    series.observe("GET", "/items", 200, 0.001, 0, 10);
    expect(series.cells.map((c) => c.count)).toEqual([1]);
  });

  it("keeps invented methods and odd statuses to bounded label values", () => {
    expect(methodLabel("GET")).toBe("GET");
    expect(methodLabel("get")).toBe("_OTHER");
    expect(methodLabel("X".repeat(200))).toBe("_OTHER");
    expect(methodLabel(undefined)).toBe("_OTHER");
    expect(statusLabel(404)).toBe("404");
    expect(statusLabel(999)).toBe("_OTHER");
  });

  it("a scan of 100,000 random paths adds no series", () => {
    const series = new HttpSeries(1000);
    series.observe("GET", "/items/{id}", 200, 0.001, 0, 10);
    const before = series.size;
    // What the hooks record for a request no route matched: the route is null, whatever the path.
    for (let i = 0; i < 100_000; i++) {
      const route: string | null = null;
      series.observe(methodLabel(i % 7 === 0 ? "PROPFIND" : "GET"), route ?? UNMATCHED_ROUTE, 404, 0.0001, 0, 22);
    }
    expect(series.size - before).toBeLessThanOrEqual(2);
    expect(series.cells.filter((c) => c.route === UNMATCHED_ROUTE).map((c) => c.method).sort()).toEqual(["GET", "_OTHER"]);
    expect(series.refused).toBe(0);
  });
});
