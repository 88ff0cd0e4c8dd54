import { context, ROOT_CONTEXT, SpanStatusCode, trace } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it } from "vitest";
import { RequestContextManager } from "./request-context-manager.ts";
import { traced } from "./spans.ts";

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer("test");

afterEach(() => exporter.reset());

describe("traced", () => {
  it("runs each call in a child span of the active one and ends it when the promise settles", async () => {
    const manager = new RequestContextManager().enable();
    context.setGlobalContextManager(manager);
    try {
      const parent = tracer.startSpan("parent");
      const load = traced("load", async (id: number) => {
        expect(trace.getActiveSpan()?.spanContext().spanId).not.toBe(parent.spanContext().spanId);
        return id * 2;
      }, { tracer });
      const result = await context.with(trace.setSpan(ROOT_CONTEXT, parent), () => load(21));
      parent.end();
      expect(result).toBe(42);
      const [child] = exporter.getFinishedSpans();
      expect(child!.name).toBe("load");
      expect(child!.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
      expect(child!.spanContext().traceId).toBe(parent.spanContext().traceId);
    } finally {
      context.disable();
    }
  });

  it("records a thrown error or a rejection and rethrows it", async () => {
    const boom = traced("boom", () => {
      throw new TypeError("bad");
    }, { tracer });
    expect(() => boom()).toThrow(TypeError);
    const rejects = traced("rejects", async () => Promise.reject(new Error("nope")), { tracer });
    await expect(rejects()).rejects.toThrow("nope");
    const [a, b] = exporter.getFinishedSpans();
    expect(a!.status.code).toBe(SpanStatusCode.ERROR);
    expect(a!.events[0]!.name).toBe("exception");
    expect(b!.status).toMatchObject({ code: SpanStatusCode.ERROR, message: "nope" });
  });
});
