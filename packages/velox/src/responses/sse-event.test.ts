import { describe, expect, it } from "vitest";
import { z } from "zod";
import { sseChunk } from "./event-source.ts";
import { formatEvent, ServerSentEvent } from "./sse-event.ts";
import { itemEncoder, jsonl, sse } from "./stream-spec.ts";

describe("formatEvent", () => {
  it("writes the fields in FastAPI's order and one data line per line", () => {
    expect(formatEvent({ data: "a\nb\r\nc", event: "e", id: "1", retry: 10, comment: "x\ny" })).toBe(": x\n: y\nevent: e\ndata: a\ndata: b\ndata: c\nid: 1\nretry: 10\n\n");
    expect(formatEvent({})).toBe("\n");
  });
});

describe("ServerSentEvent", () => {
  it("refuses fields that would break the framing, where they are set", () => {
    expect(() => new ServerSentEvent({ event: "a\nb" })).toThrow("SSE 'event' must be a single line");
    expect(() => new ServerSentEvent({ id: "1\r" })).toThrow("SSE 'id' must be a single line");
    expect(() => new ServerSentEvent({ id: "a\0b" })).toThrow("NUL");
    expect(() => new ServerSentEvent({ retry: -1 })).toThrow("retry");
    expect(() => new ServerSentEvent({ data: 1, rawData: "1" })).toThrow("either");
  });
});

describe("sse chunks", () => {
  const encode = sseChunk(itemEncoder(z.object({ n: z.int() })));

  it("sends plain items and event data as JSON through the item schema", async () => {
    expect(await encode({ n: 1, extra: true })).toBe('data: {"n":1}\n\n');
    expect(await encode(new ServerSentEvent({ data: { n: 2 }, event: "tick" }))).toBe('event: tick\ndata: {"n":2}\n\n');
    expect(await encode(new ServerSentEvent({ rawData: "<b>hi</b>" }))).toBe("data: <b>hi</b>\n\n");
  });

  it("a string item is JSON too, as in FastAPI", async () => {
    expect(await sseChunk(itemEncoder(undefined))("hello")).toBe('data: "hello"\n\n');
  });

  it("throws a ResponseValidationError for an invalid item", () => {
    expect(() => encode({ n: "x" })).toThrow(expect.objectContaining({ name: "ResponseValidationError" }));
  });
});

describe("sse() and jsonl()", () => {
  it("default to a 15 s keep-alive for SSE and none for JSON Lines", () => {
    expect(sse().keepAlive).toBe(15_000);
    expect(sse(undefined, { keepAlive: false }).keepAlive).toBeNull();
    expect(jsonl().keepAlive).toBeNull();
    expect(() => sse(undefined, { keepAlive: 0 })).toThrow("keepAlive");
  });
});
