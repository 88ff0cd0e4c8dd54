/** ANSI styles, or none when the stream is not a terminal (or NO_COLOR is set). */
export interface Palette {
  red(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  cyan(s: string): string;
}

/** A palette for a stream: colors only on a TTY without `NO_COLOR`. */
export function paletteFor(stream: { isTTY?: boolean }, env: Record<string, string | undefined> = process.env): Palette {
  const on = stream.isTTY === true && env.NO_COLOR === undefined;
  const wrap = (open: number, close: number) => (s: string) => (on ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { red: wrap(31, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22), cyan: wrap(36, 39) };
}

interface ErrorLike {
  type?: string;
  name?: string;
  message?: string;
  stack?: string;
}

/** Stack frames, the app's own in full, node's and dependencies' dimmed. */
function frames(stack: string, p: Palette): string[] {
  return stack
    .split("\n")
    .filter((line) => line.trimStart().startsWith("at "))
    .map((line) => (/node:internal|node_modules/.test(line) ? p.dim(line) : line));
}

/**
 * Formats an error for a developer: a bold red headline, the app's stack frames, dependencies'
 * frames dimmed, and the causes below.
 *
 * @example
 * ```ts
 * process.stderr.write(formatError(err, paletteFor(process.stderr)));
 * ```
 */
export function formatError(err: unknown, p: Palette): string {
  if (!(err instanceof Error) && (typeof err !== "object" || err === null)) return `${p.red(p.bold("Error:"))} ${String(err)}\n`;
  const e = err as ErrorLike & { cause?: unknown };
  const name = e.name ?? e.type ?? "Error";
  const lines = [`${p.red(p.bold(`${name}:`))} ${p.bold(e.message ?? "")}`, ...frames(e.stack ?? "", p)];
  if (e.cause !== undefined) lines.push(p.dim("Caused by:"), formatError(e.cause, p).trimEnd());
  return `${lines.join("\n")}\n`;
}

const LEVEL_STYLE: Record<string, keyof Palette> = { error: "red", warn: "yellow", info: "cyan" };

/** `velox/logging`'s access line, in one short line: `GET /items/5 200 1.42ms 27B`. */
function accessLine(entry: Record<string, unknown>, clock: string, p: Palette): string {
  const status = Number(entry.status);
  const style: keyof Palette = status >= 500 ? "red" : status >= 400 ? "yellow" : "cyan";
  const bytes = typeof entry.bytes === "number" ? ` ${entry.bytes}B` : "";
  const route = typeof entry.route === "string" && entry.route !== entry.path ? p.dim(` ${entry.route}`) : "";
  const id = typeof entry.requestId === "string" ? p.dim(` ${entry.requestId}`) : "";
  return `${p.dim(clock)} ${p.bold(String(entry.method))} ${String(entry.path)}${route} ${p[style](String(status))} ${String(entry.durationMs)}ms${bytes}${id}`;
}

/**
 * Turns one JSON log line (Velox's default logger) into a readable one with errors expanded;
 * other lines pass through unchanged. Used by `velox dev`.
 *
 * @example
 * ```ts
 * prettyLogLine('{"level":"error","msg":"request failed","err":{"type":"Error","message":"x","stack":"..."}}', palette);
 * ```
 */
export function prettyLogLine(line: string, p: Palette): string {
  if (!line.startsWith("{")) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof entry.level !== "string" || typeof entry.msg !== "string") return line;
  const { level, time, msg, err, ...rest } = entry;
  const clock = typeof time === "number" ? new Date(time).toISOString().slice(11, 23) : "";
  if (msg === "request completed" && typeof rest.method === "string" && typeof rest.status === "number") return accessLine(rest, clock, p);
  const style = LEVEL_STYLE[level] ?? "dim";
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(" ");
  const head = `${p.dim(clock)} ${p[style](level.toUpperCase().padEnd(5))} ${msg}${fields ? ` ${p.dim(fields)}` : ""}`;
  return err === undefined ? head : `${head}\n${formatError(err, p).trimEnd()}`;
}
