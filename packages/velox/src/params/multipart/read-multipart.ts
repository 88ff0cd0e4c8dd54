import { isUtf8 } from "node:buffer";
import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import { Busboy, type BusboyFileStream, type BusboyInstance } from "@fastify/busboy";
import { ProtocolError } from "../../errors.ts";
import { refuseRestOfBody } from "../refused-body.ts";
import { ClientAbortedError } from "../read-body.ts";
import type { MultipartLimits } from "./limits.ts";
import { PartTooLargeError, SpoolWriter } from "./spool.ts";
import { TempFiles } from "./temp-files.ts";
import { UploadFile } from "./upload-file.ts";

/** One value of a form field: text, or an uploaded file. */
export type FormValue = string | UploadFile;

/** Form fields by name; a name sent more than once holds every value in arrival order. */
export type FormSource = Record<string, FormValue | FormValue[] | undefined>;

/** A parsed `multipart/form-data` body. */
export interface MultipartForm {
  /** Text fields and files by field name (repeated names become arrays). */
  fields: FormSource;
  /** Every file, in arrival order. */
  files: UploadFile[];
  /** The request's temp files; `cleanup()` removes what is still there. */
  temp: TempFiles;
}

const MULTIPART = /^multipart\/form-data\s*(?:;|$)/i;
const BOUNDARY = /;\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s;"]{1,70}))\s*(?:;|$)/i;
const noop = () => undefined;
/** Framing bytes allowed per part besides its header block: CRLF, `--`, boundary, CRLF, the CRLFCRLF. */
const FRAMING_SLACK = 16;

/**
 * True for `multipart/form-data` (any parameters).
 *
 * @example
 * ```ts
 * isMultipart("multipart/form-data; boundary=x"); // true
 * ```
 */
export function isMultipart(contentType: string | undefined): boolean {
  return contentType !== undefined && MULTIPART.test(contentType);
}

/**
 * The boundary of a `multipart/form-data` Content-Type, or `null` when missing or longer than the
 * 70 characters RFC 2046 allows.
 *
 * @example
 * ```ts
 * multipartBoundary("multipart/form-data; boundary=----x1"); // "----x1"
 * ```
 */
export function multipartBoundary(contentType: string): string | null {
  const match = BOUNDARY.exec(contentType);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

const tooLarge = (message: string) => new ProtocolError(413, message, { connection: "close" });
const malformed = (message: string) => new ProtocolError(400, message, { connection: "close" });

/** What {@link watchParser} reports. */
export interface ParserWatch {
  /** A part's header block passed the header cap (busboy would have shortened it silently). */
  headerOverflow(): void;
  /** A part's headers were read but busboy skipped the part (no `Content-Disposition: form-data`). */
  skippedPart(): void;
}

type HeaderParser = { maxed: boolean; push(data: Buffer): unknown; _finish(): void };
type PartEmitter = { on(event: "part", listener: (part: { on(event: "header", l: () => void): unknown }) => void): unknown };

/**
 * Makes two things busboy passes over in silence into errors: a part header block longer than its
 * `headerSize` (it keeps the first bytes and drops the rest) and a part it skips (no form-data
 * Content-Disposition). It reaches into private objects of the pinned busboy version, so the tests
 * assert it is installed: an upgrade that moves them fails loudly rather than quietly.
 *
 * @example
 * ```ts
 * if (!watchParser(boy, () => files, { headerOverflow: () => fail(413), skippedPart: () => fail(400) })) throw new Error("busboy internals moved");
 * ```
 */
export function watchParser(boy: BusboyInstance, announced: () => number, watch: ParserWatch): boolean {
  const dicer = (boy as unknown as { _parser?: { parser?: PartEmitter & { _hparser?: HeaderParser } } })._parser?.parser;
  const parser = dicer?._hparser;
  if (!dicer || typeof dicer.on !== "function" || !parser || typeof parser.push !== "function" || typeof parser._finish !== "function" || !("maxed" in parser)) return false;
  const push = parser.push;
  const finish = parser._finish;
  parser.push = function (this: HeaderParser, data: Buffer) {
    const result = push.call(this, data);
    if (this.maxed) watch.headerOverflow();
    return result;
  };
  parser._finish = function (this: HeaderParser) {
    if (this.maxed) watch.headerOverflow();
    finish.call(this);
  };
  let headers = 0;
  // Registered after busboy's own listeners, so by the time a header event reaches this one busboy
  // has already announced the part (synchronously) unless it skipped it.
  dicer.on("part", (part) => {
    part.on("header", () => {
      if (++headers !== announced()) watch.skippedPart();
    });
  });
  return true;
}

interface Entry {
  name: string;
  value: FormValue | null;
}

/**
 * Reads one `multipart/form-data` body as a stream within `limits`: text fields into memory,
 * files into {@link UploadFile}s (spooled to temp files past the threshold). Resolves once the
 * whole body is in. Every cap is a 413, malformed input a 400 (both with `Connection: close`),
 * a client that goes away a `ClientAbortedError`; on every failure the temp files are removed
 * before the promise settles. On success the caller owns `temp` and must `cleanup()` it when the
 * request ends.
 *
 * @example
 * ```ts
 * const form = await readMultipart(req, resolveMultipartLimits({ maxFileSize: 2 << 20 }));
 * try { use(form.fields) } finally { await form.temp.cleanup() }
 * ```
 */
export function readMultipart(req: IncomingMessage, limits: MultipartLimits, temp = new TempFiles(limits.tempDir)): Promise<MultipartForm> {
  return new Promise((resolve, reject) => new MultipartReader(req, limits, temp, resolve, reject).start());
}

class MultipartReader {
  private boy: BusboyInstance | null = null;
  private settled = false;
  private received = 0;
  private processed = 0;
  private payloadDone = 0;
  private current: BusboyFileStream | null = null;
  private parts = 0;
  private fieldCount = 0;
  private fileCount = 0;
  private fieldBytes = 0;
  private pending = 0;
  private parsed = false;
  private ended = false;
  private framingPerPart = 0;
  private readonly entries: Entry[] = [];
  private readonly files: UploadFile[] = [];
  private readonly streams: Readable[] = [];
  private readonly spools: SpoolWriter[] = [];

  constructor(
    private readonly req: IncomingMessage,
    private readonly limits: MultipartLimits,
    private readonly temp: TempFiles,
    private readonly resolve: (form: MultipartForm) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  start(): void {
    const { req, limits } = this;
    const contentType = req.headers["content-type"] ?? "";
    const boundary = multipartBoundary(contentType);
    if (!isMultipart(contentType) || boundary === null) {
      this.fail(malformed("multipart/form-data needs a boundary of 1 to 70 characters"));
      return;
    }
    const declared = req.headers["content-length"];
    if (declared !== undefined && Number(declared) > limits.maxBodySize) {
      this.fail(tooLarge(`Request body is larger than ${limits.maxBodySize} bytes`));
      return;
    }
    this.framingPerPart = limits.maxPartHeaderSize + boundary.length + FRAMING_SLACK;
    let boy: BusboyInstance;
    try {
      boy = Busboy({
        headers: req.headers as { "content-type": string },
        // Every part comes as a stream, so text fields are capped while they arrive, not after.
        isPartAFile: () => true,
        // Busboy counts the CRLF ending the boundary line as header bytes, and flags a block that
        // reaches its limit: +3 makes exactly maxPartHeaderSize pass and one byte more overflow.
        limits: { headerSize: limits.maxPartHeaderSize + 3 },
      });
    } catch {
      this.fail(malformed("Malformed multipart/form-data Content-Type"));
      return;
    }
    this.boy = boy;
    watchParser(boy, () => this.parts, {
      headerOverflow: () => this.fail(tooLarge(`A multipart part has headers larger than ${limits.maxPartHeaderSize} bytes`)),
      skippedPart: () => this.fail(malformed('A multipart part lacks a "Content-Disposition: form-data" header with a name')),
    });
    boy.on("file", (name, stream, filename, _encoding, mimeType) => this.onPart(name, stream, filename, mimeType));
    boy.on("finish", () => {
      this.parsed = true;
      this.settle();
    });
    boy.on("error", (err) => this.fail(malformed(`Malformed multipart body: ${(err as Error).message ?? "parse error"}`)));
    boy.on("drain", () => {
      this.checkFraming(this.received - boy.writableLength);
      if (!this.settled) req.resume();
    });
    req.on("data", this.onData);
    req.on("end", this.onEnd);
    req.on("error", this.onAbort);
    req.on("close", this.onClose);
  }

  private readonly onEnd = (): void => {
    this.ended = true;
    if (!this.settled) this.boy!.end();
  };

  private readonly onAbort = (): void => this.fail(new ClientAbortedError());

  private readonly onClose = (): void => {
    if (!this.ended) this.fail(new ClientAbortedError());
  };

  private readonly onData = (chunk: Buffer): void => {
    if (this.settled) return;
    this.received += chunk.length;
    if (this.received > this.limits.maxBodySize) {
      this.fail(tooLarge(`Request body is larger than ${this.limits.maxBodySize} bytes`));
      return;
    }
    const boy = this.boy!;
    const more = boy.write(chunk);
    this.checkFraming(this.received - boy.writableLength);
    if (!more) this.req.pause();
  };

  /**
   * Bytes outside parts (preamble, part headers, epilogue) stay bounded. `processed`: what busboy
   * has parsed (received minus what waits in its buffer), so no callback is made per chunk.
   */
  private checkFraming(processed: number): void {
    if (this.settled) return;
    this.processed = processed;
    const payload = this.payloadDone + (this.current?.bytesRead ?? 0);
    const allowance = (this.parts + 2) * this.framingPerPart;
    if (this.processed - payload > allowance) {
      this.fail(tooLarge(`Multipart body has more than ${allowance} bytes outside its parts (preamble, part headers or epilogue)`));
    }
  }

  private onPart(name: string | undefined, stream: BusboyFileStream, filename: string | undefined, mimeType: string): void {
    stream.on("error", noop);
    if (this.settled) {
      stream.resume();
      return;
    }
    if (this.current !== null) this.payloadDone += this.current.bytesRead;
    this.current = stream;
    this.streams.push(stream);
    this.parts++;
    if (name === undefined || name === "") {
      this.fail(malformed("A multipart part has no field name"));
      return;
    }
    if (name === "__proto__") {
      this.fail(malformed("Form contains a forbidden __proto__ field"));
      return;
    }
    if (filename === undefined) this.readField(name, stream);
    else this.readFile(name, stream, filename, mimeType);
  }

  private readField(name: string, stream: BusboyFileStream): void {
    const { maxFields, maxFieldSize, maxFieldsSize } = this.limits;
    if (++this.fieldCount > maxFields) {
      this.fail(tooLarge(`Form has more than ${maxFields} fields`));
      return;
    }
    const entry: Entry = { name, value: null };
    this.entries.push(entry);
    const chunks: Buffer[] = [];
    let size = 0;
    this.pending++;
    stream.on("data", (chunk: Buffer) => {
      if (this.settled) return;
      size += chunk.length;
      this.fieldBytes += chunk.length;
      if (size > maxFieldSize) this.fail(tooLarge(`Form field "${name}" is larger than ${maxFieldSize} bytes`));
      else if (this.fieldBytes > maxFieldsSize) this.fail(tooLarge(`Form fields are larger than ${maxFieldsSize} bytes together`));
      else chunks.push(chunk);
    });
    stream.on("end", () => {
      if (this.settled) return;
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      if (!isUtf8(bytes)) {
        this.fail(malformed(`Form field "${name}" is not valid UTF-8`));
        return;
      }
      entry.value = bytes.toString("utf8");
      this.pending--;
      this.settle();
    });
  }

  private readFile(name: string, stream: BusboyFileStream, filename: string, mimeType: string): void {
    const { maxFiles, maxFileSize, spoolThreshold } = this.limits;
    if (++this.fileCount > maxFiles) {
      this.fail(tooLarge(`Form has more than ${maxFiles} files`));
      return;
    }
    const entry: Entry = { name, value: null };
    this.entries.push(entry);
    const spool = new SpoolWriter({ limit: maxFileSize, threshold: spoolThreshold, temp: this.temp });
    this.spools.push(spool);
    this.pending++;
    // pipe() rather than pipeline(): no AbortController (and its DOMException) per file.
    let failed = false;
    const onError = (err: unknown) => {
      if (failed) return;
      failed = true;
      if (err instanceof PartTooLargeError) this.fail(tooLarge(`File "${name}" is larger than ${maxFileSize} bytes`));
      else if (err instanceof Error && /terminated early|Unexpected end/i.test(err.message)) this.fail(malformed(`Malformed multipart body: ${err.message}`));
      else this.fail(err);
    };
    stream.on("error", onError);
    spool.on("error", onError);
    spool.on("finish", () => {
      if (this.settled || failed) return;
      // An empty file input: browsers send the part with an empty name and no content.
      if (!(filename === "" && spool.size === 0)) {
        const path = spool.path;
        const upload = new UploadFile({
          fieldName: name,
          filename,
          contentType: mimeType,
          size: spool.size,
          ...(path === null ? { buffer: spool.buffer! } : { path, temp: this.temp }),
        });
        entry.value = upload;
        this.files.push(upload);
      }
      this.pending--;
      this.settle();
    });
    stream.pipe(spool);
  }

  /** Resolves once the closing boundary was parsed, the request ended and every part is stored. */
  private settle(): void {
    if (this.settled || !this.parsed || !this.ended || this.pending !== 0) return;
    this.settled = true;
    this.detach();
    const fields: FormSource = Object.create(null);
    for (const { name, value } of this.entries) {
      if (value === null) continue;
      const prev = fields[name];
      fields[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
    }
    this.resolve({ fields, files: this.files, temp: this.temp });
  }

  /** Stops reading, tears down every stream, removes the temp files, then rejects. */
  private fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    if (!this.ended) refuseRestOfBody(this.req);
    // Deferred: a failure can be found inside busboy's own call stack.
    queueMicrotask(() => void this.teardown(error));
  }

  private async teardown(error: unknown): Promise<void> {
    this.detach();
    const boy = this.boy;
    if (boy !== null) {
      boy.on("error", noop);
      boy.destroy();
    }
    for (const stream of this.streams) stream.destroy();
    await Promise.all(this.spools.map((spool) => new Promise<void>((done) => {
      if (spool.closed) done();
      else {
        spool.once("close", () => done());
        spool.destroy();
      }
    })));
    await this.temp.cleanup();
    this.reject(error);
  }

  private detach(): void {
    const req = this.req;
    req.off("data", this.onData);
    req.off("end", this.onEnd);
    req.off("error", this.onAbort);
    req.off("close", this.onClose);
    if (!this.ended) req.pause();
  }
}
