import { constants, type Stats } from "node:fs";
import { open, stat, type FileHandle } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { isStreamSink } from "../runtime/stream-sink.ts";
import { HTTPException } from "../http-exception.ts";
import { contentDisposition } from "./content-disposition.ts";
import { ifNoneMatchMatches, strongMatch } from "./entity-tag.ts";
import { mergeHeaders, type HeaderMap } from "./headers.ts";
import { mediaTypeFor } from "./media-type.ts";
import { parseRange } from "./range.ts";
import { VeloxResponse, type ResponseInit } from "./response.ts";

/**
 * Options of a {@link FileResponse}.
 *
 * @example
 * ```ts
 * const options: FileResponseOptions = { filename: "invoice.pdf", disposition: "inline", headers: { "cache-control": "private" } };
 * ```
 */
export interface FileResponseOptions extends ResponseInit {
  /** Download name: sets Content-Disposition (`attachment` unless `disposition` says otherwise). */
  filename?: string;
  /** Content-Type; default: guessed from the file's extension. */
  mediaType?: string;
  /** `attachment` (default with a `filename`) or `inline`. */
  disposition?: "attachment" | "inline";
}

/** What to send for one request, decided from the file's stat and the request's headers. */
interface Plan {
  status: number;
  headers: HeaderMap;
  /** Byte range to stream (inclusive), or null to send no body (HEAD, 304). */
  range: { start: number; end: number } | null;
}

/** Headers a 304 keeps (RFC 9110 §15.4.5); the others describe a body that is not sent. */
const NOT_MODIFIED_HEADERS = new Set(["etag", "last-modified", "cache-control", "expires", "vary", "content-location", "date"]);
const MISSING = new Set(["ENOENT", "ENOTDIR", "ENAMETOOLONG", "ELOOP"]);
// O_NONBLOCK makes opening a FIFO return at once instead of parking a libuv thread forever.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function notFound(): HTTPException {
  return new HTTPException(404, "Not Found");
}

/** Last-Modified has one-second resolution; compare at that resolution. */
const mtimeSeconds = (stats: Stats): number => Math.floor(stats.mtimeMs / 1000);

function notModified(req: IncomingMessage, etag: string, stats: Stats): boolean {
  const inm = req.headers["if-none-match"];
  if (inm !== undefined) return ifNoneMatchMatches(inm, etag);
  const ims = req.headers["if-modified-since"];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && mtimeSeconds(stats) <= Math.floor(since / 1000);
}

/**
 * If-Range: a range applies only while the client's validator still holds. Velox's ETag is weak
 * and If-Range needs a strong match, so only the date form can match (RFC 9110 §13.1.5).
 */
function rangeStillValid(req: IncomingMessage, etag: string, stats: Stats): boolean {
  const ifRange = req.headers["if-range"];
  if (typeof ifRange !== "string") return ifRange === undefined;
  if (ifRange.startsWith('"') || ifRange.startsWith("W/")) return strongMatch(ifRange, etag);
  const date = Date.parse(ifRange);
  return !Number.isNaN(date) && Math.floor(date / 1000) === mtimeSeconds(stats);
}

/** Ends the connection when the file shrank under us: the promised Content-Length cannot be met. */
function counting(expected: number, res: ServerResponse): Transform {
  let sent = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sent += chunk.length;
      callback(null, chunk);
    },
    flush(callback) {
      if (sent !== expected) {
        res.destroy();
        callback(new Error(`file changed while it was sent: ${sent} of ${expected} bytes`));
      } else callback();
    },
  });
}

/**
 * Sends a file from disk, streamed with backpressure: Content-Length, Last-Modified and a weak
 * ETag; 304 for a matching `If-None-Match` / `If-Modified-Since`; single-range requests (206, or
 * 416 when unsatisfiable; several ranges get the whole file); HEAD without reading the file. A
 * missing file answers 404 through the app's exception handlers.
 *
 * The path is used as given: never build it from request input without the checks
 * {@link staticFiles} makes.
 *
 * @example
 * ```ts
 * app.get("/reports/{id}", { path: { id: z.int() } }, ({ path }) =>
 *   new FileResponse(`/srv/reports/${path.id}.pdf`, { filename: `report-${path.id}.pdf` }));
 * ```
 */
export class FileResponse extends VeloxResponse {
  readonly path: string;

  constructor(path: string, options: FileResponseOptions = {}) {
    const { filename, mediaType, disposition, ...init } = options;
    super(null, init);
    this.path = path;
    this.headers["content-type"] ??= mediaType ?? mediaTypeFor(filename ?? path);
    if (filename !== undefined || disposition !== undefined) {
      this.headers["content-disposition"] ??= contentDisposition(filename ?? path, disposition ?? "attachment");
    }
    this.headers["accept-ranges"] ??= "bytes";
  }

  /**
   * Checks the file and the request's range headers now, so a missing file (404) or an
   * unsatisfiable range (416) is raised from the handler — where exception handlers and
   * middleware see it — rather than while the response is written. Optional: `write` checks
   * again against the file it actually opens.
   *
   * @example
   * ```ts
   * app.get("/download", {}, async (ctx) => new FileResponse("/srv/big.iso").prepare(ctx.req));
   * ```
   */
  async prepare(req: IncomingMessage): Promise<this> {
    let stats: Stats;
    try {
      stats = await stat(this.path);
    } catch (err) {
      throw MISSING.has((err as NodeJS.ErrnoException).code ?? "") ? notFound() : err;
    }
    if (!stats.isFile()) throw notFound();
    this.plan(req, stats);
    return this;
  }

  private plan(req: IncomingMessage | undefined, stats: Stats): Plan {
    const headers: HeaderMap = { ...this.headers };
    const etag = (headers.etag as string | undefined) ?? `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
    headers.etag = etag;
    headers["last-modified"] ??= stats.mtime.toUTCString();
    const method = req?.method ?? "GET";
    const readLike = method === "GET" || method === "HEAD";
    const body = method !== "HEAD";
    if (req && readLike && this.status === 200 && notModified(req, etag, stats)) {
      const kept: HeaderMap = {};
      for (const name in headers) if (NOT_MODIFIED_HEADERS.has(name) || name === "set-cookie") kept[name] = headers[name]!;
      return { status: 304, headers: kept, range: null };
    }
    const range = req && readLike && this.status === 200 && rangeStillValid(req, etag, stats) ? parseRange(req.headers.range, stats.size) : null;
    if (range === "unsatisfiable") {
      throw new HTTPException(416, "Range Not Satisfiable", { "content-range": `bytes */${stats.size}` });
    }
    if (range !== null) {
      headers["content-range"] = `bytes ${range.start}-${range.end}/${stats.size}`;
      headers["content-length"] = String(range.end - range.start + 1);
      return { status: 206, headers, range: body ? range : null };
    }
    headers["content-length"] = String(stats.size);
    return { status: this.status, headers, range: body && stats.size > 0 ? { start: 0, end: stats.size - 1 } : null };
  }

  override async write(res: ServerResponse, extra: HeaderMap | null): Promise<void> {
    if (extra) mergeHeaders(this.headers, extra);
    let handle: FileHandle;
    try {
      handle = await open(this.path, OPEN_FLAGS);
    } catch (err) {
      throw MISSING.has((err as NodeJS.ErrnoException).code ?? "") ? notFound() : err;
    }
    let plan: Plan;
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) throw notFound();
      // Planned again from the open handle: middleware may have added headers since `prepare`.
      plan = this.plan(res.req, stats);
    } catch (err) {
      await handle.close();
      throw err;
    }
    res.writeHead(plan.status, plan.headers);
    if (plan.range === null) {
      await handle.close();
      res.end();
      return;
    }
    const { start, end } = plan.range;
    const stream = handle.createReadStream({ start, end, autoClose: true });
    if (isStreamSink(res)) return res.sendStream(stream);
    try {
      await pipeline(stream, counting(end - start + 1, res), res);
    } catch {
      if (!res.destroyed) res.destroy();
    }
  }
}
