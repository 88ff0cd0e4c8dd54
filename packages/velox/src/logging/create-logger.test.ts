import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { RequestContext } from "../context.ts";
import { setRequestTrace } from "../batteries/request-trace.ts";
import { requestScope } from "../request-scope.ts";
import { createLogger } from "./create-logger.ts";
import { prettyLogLine, paletteFor } from "../server/cli/pretty.ts";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { stream, lines, raw };
}

function fakeContext(headers: Record<string, string>): RequestContext {
  return new RequestContext({ headers, url: "/", method: "GET" } as never, {} as never, { state: {} } as never, { requestIdHeader: "x-request-id" } as never);
}

describe("createLogger", () => {
  it("writes Velox's line shape: level name, epoch ms, msg, pid", () => {
    const { stream, lines } = capture();
    createLogger({ destination: stream }).info({ a: 1 }, "hello");
    expect(lines[0]).toMatchObject({ level: "info", msg: "hello", a: 1, pid: process.pid });
    expect(typeof lines[0]!.time).toBe("number");
  });

  it("redacts secrets by default, in child bindings' records too", () => {
    const { stream, lines, raw } = capture();
    const logger = createLogger({ destination: stream });
    logger.child({ component: "auth" }).warn({ headers: { authorization: "Bearer s3cr3t" }, password: "hunter2" }, "login failed");
    expect(lines[0]).toMatchObject({ component: "auth", headers: { authorization: "[Redacted]" }, password: "[Redacted]" });
    expect(raw[0]).not.toContain("s3cr3t");
    expect(raw[0]).not.toContain("hunter2");
  });

  it("stamps lines inside a request with its id and trace, from the request scope", () => {
    const { stream, lines } = capture();
    const logger = createLogger({ destination: stream });
    const ctx = fakeContext({ "x-request-id": "req-42" });
    setRequestTrace(ctx, { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7" });
    requestScope.run(ctx, () => logger.info({}, "inside"));
    logger.info({}, "outside");
    expect(lines[0]).toMatchObject({ requestId: "req-42", traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7" });
    expect(lines[1]!.requestId).toBeUndefined();
  });

  it("writes the request id once on a child already bound to it (ctx.log)", () => {
    const { stream, raw } = capture();
    const logger = createLogger({ destination: stream });
    const ctx = fakeContext({ "x-request-id": "req-7" });
    requestScope.run(ctx, () => logger.child({ requestId: ctx.requestId }).info({}, "child"));
    expect(raw[0]!.match(/"requestId"/g)).toHaveLength(1);
    expect(JSON.parse(raw[0]!).requestId).toBe("req-7");
  });

  it("replaces a hostile X-Request-ID with a generated one", () => {
    const { stream, lines } = capture();
    const logger = createLogger({ destination: stream });
    for (const hostile of ["a".repeat(129), "x\r\nInjected: 1", "<script>", "ü"]) {
      requestScope.run(fakeContext({ "x-request-id": hostile }), () => logger.info({}, "line"));
    }
    for (const line of lines) expect(line.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("rejects an unknown level", () => {
    expect(() => createLogger({ level: "loud" as never })).toThrow(/level must be one of/);
  });

  it("prints as velox dev's pretty lines", () => {
    const { stream, raw } = capture();
    createLogger({ destination: stream }).error({ err: new TypeError("x is undefined") }, "request failed");
    const pretty = prettyLogLine(raw[0]!, paletteFor({ isTTY: false }));
    expect(pretty.split("\n")[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} ERROR request failed pid=\d+$/);
    expect(pretty).toContain("TypeError: x is undefined");
  });
});
