import { describe, expect, it } from "vitest";
import { injectTraceParent, parseTraceParent } from "./w3c.ts";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN = "00f067aa0ba902b7";

describe("W3C trace context", () => {
  it("reads a valid traceparent and its tracestate", () => {
    const parsed = parseTraceParent({ traceparent: `00-${TRACE}-${SPAN}-01`, tracestate: "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7" });
    expect(parsed).toMatchObject({ traceId: TRACE, spanId: SPAN, traceFlags: 1, isRemote: true });
    expect(parsed?.traceState?.get("congo")).toBe("t61rcWkgMzE");
  });

  it("starts a new trace for malformed or hostile headers", () => {
    const bad = [
      `00-${"0".repeat(32)}-${SPAN}-01`, // all-zero trace id
      `00-${TRACE}-${"0".repeat(16)}-01`, // all-zero parent id
      `00-${TRACE.toUpperCase()}-${SPAN}-01`, // uppercase hex
      `ff-${TRACE}-${SPAN}-01`, // forbidden version
      `00-${TRACE}-${SPAN}-01-extra`, // version 00 has exactly four fields
      `00-${TRACE.slice(1)}-${SPAN}-01`,
      `00-${TRACE}-${SPAN}`,
      `00-${TRACE}-${SPAN}-01\r\nx: y`,
      "x".repeat(10_000),
      "",
    ];
    for (const traceparent of bad) expect(parseTraceParent({ traceparent }), traceparent.slice(0, 60)).toBeUndefined();
    expect(parseTraceParent({ traceparent: [`00-${TRACE}-${SPAN}-01`, `00-${TRACE}-${SPAN}-00`] })).toBeUndefined();
    expect(parseTraceParent({})).toBeUndefined();
  });

  it("accepts a future version with more fields, and keeps only the sampled flag", () => {
    expect(parseTraceParent({ traceparent: `01-${TRACE}-${SPAN}-03-what-ever` })).toMatchObject({ traceId: TRACE, traceFlags: 1 });
  });

  it("drops an oversized tracestate but keeps the parent", () => {
    const parsed = parseTraceParent({ traceparent: `00-${TRACE}-${SPAN}-00`, tracestate: `a=${"b".repeat(9_000)}` });
    expect(parsed?.traceId).toBe(TRACE);
    expect(parsed?.traceState).toBeUndefined();
  });

  it("writes traceparent and tracestate for the next hop", () => {
    const parsed = parseTraceParent({ traceparent: `00-${TRACE}-${SPAN}-01`, tracestate: "k=v" })!;
    const headers: Record<string, string> = {};
    injectTraceParent(parsed, headers);
    expect(headers).toEqual({ traceparent: `00-${TRACE}-${SPAN}-01`, tracestate: "k=v" });
  });
});
