import { createReadStream } from "node:fs";
import { copyFile, readFile, rename, writeFile } from "node:fs/promises";
import { Readable } from "node:stream";
import type { TempFiles } from "./temp-files.ts";

/** What a finished upload is made from (the parser builds it). */
export interface UploadFileInit {
  fieldName: string;
  filename: string;
  contentType: string;
  size: number;
  /** The whole content, when it stayed under the spool threshold. */
  buffer?: Buffer;
  /** The temp file holding the content, when it did not. */
  path?: string;
  /** Owner of the temp file (the request), told when `save` moves it away. */
  temp?: TempFiles;
}

/**
 * One uploaded file of a `multipart/form-data` body, like FastAPI's `UploadFile`. Small files
 * are kept in memory; past the spool threshold (1 MiB by default) the content is in a temp file
 * that is removed when the request ends. `filename` is what the client sent (its last path
 * segment only) — show it, never use it as a path.
 *
 * @example
 * ```ts
 * app.put("/users/me/avatar", { form: { file: file({ maxSize: 2 * 1024 * 1024 }) } }, async ({ form }) => {
 *   const head = (await form.file.bytes()).subarray(0, 8);
 *   await form.file.save(`/srv/avatars/${userId}.png`);
 *   return { filename: form.file.filename, size: form.file.size };
 * });
 * ```
 */
export class UploadFile {
  /** The form field the file came in. */
  readonly fieldName: string;
  /** The client's file name (last path segment), possibly empty. Never a storage path. */
  readonly filename: string;
  /** The part's media type as sent, lower-cased, without parameters (`text/plain` when none, as RFC 7578 says). */
  readonly contentType: string;
  /** Size in bytes. */
  readonly size: number;
  private readonly buffer: Buffer | null;
  private path: string | null;
  private owner: TempFiles | null;

  constructor(init: UploadFileInit) {
    this.fieldName = init.fieldName;
    this.filename = init.filename;
    this.contentType = init.contentType;
    this.size = init.size;
    this.buffer = init.buffer ?? null;
    this.path = init.path ?? null;
    this.owner = init.temp ?? null;
    if (this.buffer === null && this.path === null) this.buffer = Buffer.alloc(0);
  }

  /** True while the content is held in memory (not spooled to a temp file). */
  get inMemory(): boolean {
    return this.buffer !== null;
  }

  /**
   * A fresh readable stream of the content (each call starts at the beginning).
   *
   * @example
   * ```ts
   * await pipeline(upload.stream(), createHash("sha256"));
   * ```
   */
  stream(): Readable {
    if (this.buffer !== null) return Readable.from([this.buffer], { objectMode: false });
    return createReadStream(this.path!);
  }

  /**
   * The whole content as a Buffer (read from the temp file when spooled: mind the size).
   *
   * @example
   * ```ts
   * const png = (await upload.bytes()).subarray(0, 8).equals(PNG_SIGNATURE);
   * ```
   */
  async bytes(): Promise<Buffer> {
    if (this.buffer !== null) return this.buffer;
    return readFile(this.path!);
  }

  /**
   * The content decoded as text (UTF-8 unless told otherwise).
   *
   * @example
   * ```ts
   * const csv = await upload.text();
   * ```
   */
  async text(encoding: BufferEncoding = "utf8"): Promise<string> {
    return (await this.bytes()).toString(encoding);
  }

  /**
   * Writes the content to `destination` (replacing a file there). A spooled file is moved rather
   * than copied when it can be (same file system), so saving a large upload costs no second write.
   *
   * @example
   * ```ts
   * await upload.save(join(uploadsDir, `${randomUUID()}.bin`)); // never join(uploadsDir, upload.filename)
   * ```
   */
  async save(destination: string): Promise<void> {
    if (this.buffer !== null) {
      await writeFile(destination, this.buffer);
      return;
    }
    const source = this.path!;
    if (this.owner !== null) {
      try {
        await rename(source, destination);
        this.owner.release(source);
        this.owner = null;
        this.path = destination;
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EXDEV") throw err;
      }
    }
    await copyFile(source, destination);
  }

  /** For logs: the upload's metadata, never its content. */
  toJSON(): { fieldName: string; filename: string; contentType: string; size: number } {
    return { fieldName: this.fieldName, filename: this.filename, contentType: this.contentType, size: this.size };
  }
}
