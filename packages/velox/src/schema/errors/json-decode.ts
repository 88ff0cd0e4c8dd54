/** Where and why a JSON text fails, in the words of Python's `json` module. */
export interface JsonDecodeProblem {
  /** Offset in code points (Python's `JSONDecodeError.pos`). */
  pos: number;
  /** Python's `JSONDecodeError.msg`, e.g. `Expecting value`. */
  msg: string;
}

class Stop {
  constructor(readonly at: number, readonly msg: string) {}
}

const WS = new Set([" ", "\t", "\n", "\r"]);
const DIGIT = /[0-9]/;

/**
 * Re-reads a JSON text that `JSON.parse` refused and reports the first problem the way CPython's
 * `json` decoder (behind FastAPI) words and places it, so `json_invalid` errors carry the same
 * `loc` and `ctx.error`. Python also accepts `NaN` and `Infinity`; JSON.parse does not, so they are
 * reported as `Expecting value`. Runs only on the error path.
 *
 * @example
 * ```ts
 * pythonJsonError('{"name": }'); // { pos: 9, msg: "Expecting value" }
 * ```
 */
export function pythonJsonError(text: string): JsonDecodeProblem {
  const scanner = new Scanner(text);
  let at: number;
  let msg: string;
  try {
    const end = scanner.skipWs(scanner.value(scanner.skipWs(0)));
    at = end;
    msg = end === text.length ? "Expecting value" : "Extra data";
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    at = err.at;
    msg = err.msg;
  }
  return { pos: codePoints(text, at), msg };
}

function codePoints(text: string, utf16: number): number {
  let count = 0;
  for (let i = 0; i < utf16 && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < utf16) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** Deeper texts are not re-read (the recursion would exhaust the stack); callers cap depth first. */
const MAX_DEPTH = 512;

class Scanner {
  private depth = 0;
  constructor(private readonly s: string) {}

  skipWs(i: number): number {
    while (i < this.s.length && WS.has(this.s[i]!)) i++;
    return i;
  }

  /** Parses one value at `i` (no leading whitespace) and returns the index after it. */
  value(i: number): number {
    const c = this.s[i];
    if (c === '"') return this.string(i + 1);
    if (c === "{" || c === "[") {
      if (++this.depth > MAX_DEPTH) throw new Stop(i, "Expecting value");
      const end = c === "{" ? this.object(i + 1) : this.array(i + 1);
      this.depth--;
      return end;
    }
    for (const word of ["null", "true", "false"]) if (this.s.startsWith(word, i)) return i + word.length;
    return this.number(i);
  }

  private number(start: number): number {
    const s = this.s;
    let i = start;
    if (s[i] === "-") i++;
    if (s[i] === "0") i++;
    else if (s[i] !== undefined && s[i]! >= "1" && s[i]! <= "9") while (DIGIT.test(s[i] ?? "")) i++;
    else throw new Stop(start, "Expecting value");
    if (s[i] === "." && DIGIT.test(s[i + 1] ?? "")) {
      i += 2;
      while (DIGIT.test(s[i] ?? "")) i++;
    }
    if (s[i] === "e" || s[i] === "E") {
      let j = i + 1;
      if (s[j] === "+" || s[j] === "-") j++;
      if (DIGIT.test(s[j] ?? "")) {
        while (DIGIT.test(s[j] ?? "")) j++;
        i = j;
      }
    }
    return i;
  }

  /** `begin` is the index after the opening quote. */
  private string(begin: number): number {
    const s = this.s;
    let i = begin;
    for (;;) {
      if (i >= s.length) throw new Stop(begin - 1, "Unterminated string starting at");
      const c = s.charCodeAt(i);
      if (c === 34) return i + 1;
      if (c < 0x20) throw new Stop(i, "Invalid control character at");
      if (c !== 92) {
        i++;
        continue;
      }
      const esc = s[i + 1];
      if (esc === undefined) throw new Stop(begin - 1, "Unterminated string starting at");
      if (esc === "u") {
        if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) throw new Stop(i + 1, "Invalid \\uXXXX escape");
        i += 6;
      } else if ('"\\/bfnrt'.includes(esc)) i += 2;
      else throw new Stop(i, "Invalid \\escape");
    }
  }

  private object(start: number): number {
    const s = this.s;
    let i = this.skipWs(start);
    if (s[i] === "}") return i + 1;
    for (;;) {
      if (s[i] !== '"') throw new Stop(i, "Expecting property name enclosed in double quotes");
      i = this.skipWs(this.string(i + 1));
      if (s[i] !== ":") throw new Stop(i, "Expecting ':' delimiter");
      i = this.valueOrStop(this.skipWs(i + 1));
      i = this.skipWs(i);
      if (s[i] === "}") return i + 1;
      if (s[i] !== ",") throw new Stop(i, "Expecting ',' delimiter");
      i = this.skipWs(i + 1);
    }
  }

  private array(start: number): number {
    const s = this.s;
    let i = this.skipWs(start);
    if (s[i] === "]") return i + 1;
    for (;;) {
      i = this.skipWs(this.valueOrStop(i));
      if (s[i] === "]") return i + 1;
      if (s[i] !== ",") throw new Stop(i, "Expecting ',' delimiter");
      i = this.skipWs(i + 1);
    }
  }

  private valueOrStop(i: number): number {
    if (i >= this.s.length) throw new Stop(i, "Expecting value");
    return this.value(i);
  }
}
