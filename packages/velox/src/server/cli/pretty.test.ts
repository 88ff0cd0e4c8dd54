import { describe, expect, it } from "vitest";
import { formatError, paletteFor, prettyLogLine } from "./pretty.ts";

const plain = paletteFor({ isTTY: false });

describe("pretty output for velox dev", () => {
  it("expands an error log line into a headline and the stack, dimming dependencies when colored", () => {
    const line = JSON.stringify({
      level: "error",
      time: Date.UTC(2025, 0, 1, 12, 30, 5, 7),
      msg: "unhandled error",
      requestId: "abc",
      err: { type: "TypeError", message: "x is undefined", stack: "TypeError: x is undefined\n    at handler (/app/src/main.ts:3:9)\n    at run (/app/node_modules/lib/index.js:1:1)" },
    });
    const out = prettyLogLine(line, plain);
    expect(out.split("\n")).toEqual([
      "12:30:05.007 ERROR unhandled error requestId=abc",
      "TypeError: x is undefined",
      "    at handler (/app/src/main.ts:3:9)",
      "    at run (/app/node_modules/lib/index.js:1:1)",
    ]);
    const colored = formatError(new Error("boom"), paletteFor({ isTTY: true }, {}));
    expect(colored).toContain("\u001b[31m");
  });

  it("passes other lines through", () => {
    expect(prettyLogLine("Restarting 'velox run'", plain)).toBe("Restarting 'velox run'");
    expect(prettyLogLine("{not json", plain)).toBe("{not json");
    expect(prettyLogLine('{"a":1}', plain)).toBe('{"a":1}');
  });

  it("shows causes and plain values", () => {
    const err = new Error("outer", { cause: new Error("inner") });
    expect(formatError(err, plain)).toMatch(/Error: outer[\s\S]*Caused by:\nError: inner/);
    expect(formatError("text", plain)).toBe("Error: text\n");
  });
});

describe("pretty access lines", () => {
  it("prints velox/logging's access line as one short line", () => {
    const line = JSON.stringify({ level: "info", time: Date.UTC(2025, 0, 1, 12, 30, 5, 7), pid: 1, requestId: "r1", method: "GET", route: "/items/{id}", path: "/items/5", status: 404, durationMs: 1.42, bytes: 27, msg: "request completed" });
    expect(prettyLogLine(line, plain)).toBe("12:30:05.007 GET /items/5 /items/{id} 404 1.42ms 27B r1");
  });
});
