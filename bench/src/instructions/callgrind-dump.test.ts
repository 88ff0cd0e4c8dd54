import { describe, expect, it } from "vitest";
import { dumpComplete, irFromDump } from "./callgrind-dump.ts";

// The head and tail of a real dump (valgrind 3.19, `--cache-sim=no --branch-sim=no`).
const DUMP = `# callgrind format
version: 1
creator: callgrind-3.19.0
pid: 18355
cmd:  node raw.mjs --port 39111
part: 1

desc: Timerange: Basic block 0 - 169092180
desc: Trigger: dump

positions: line
events: Ir
summary: 787412326


ob=(3) /usr/lib/x86_64-linux-gnu/libc.so.6
fl=(15) ./misc/../sysdeps/unix/syscall-template.S
fn=(19488) munmap
117 36
+5 9

totals: 787412326
`;

describe("irFromDump", () => {
  it("reads the Ir total of a dump", () => {
    expect(irFromDump(DUMP)).toBe(787_412_326);
  });

  it("takes the Ir column when callgrind records more events", () => {
    expect(irFromDump("events: Dr Ir Dw\nsummary: 5 42 7\ntotals: 5 43 7\n")).toBe(43);
  });

  it("falls back to summary: while totals: is not written", () => {
    expect(irFromDump("events: Ir\nsummary: 1000\n")).toBe(1000);
  });

  it("rejects what is not a dump of instruction counts", () => {
    expect(() => irFromDump("hello")).toThrow(/no events/);
    expect(() => irFromDump("events: Dr\ntotals: 4\n")).toThrow(/no Ir/);
    expect(() => irFromDump("events: Ir\n")).toThrow(/no totals/);
    expect(() => irFromDump("events: Ir\ntotals: lots\n")).toThrow(/not a count/);
  });
});

describe("dumpComplete", () => {
  it("is true only once the totals: line is there", () => {
    expect(dumpComplete(DUMP)).toBe(true);
    expect(dumpComplete(DUMP.slice(0, DUMP.indexOf("totals:")))).toBe(false);
  });
});
