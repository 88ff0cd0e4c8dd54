import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";

/**
 * The temp files of one request. Names are random (`velox-upload-<uuid>`) inside the configured
 * directory, so nothing a client sends ever becomes part of a path. `cleanup()` removes every file
 * still owned — on success, error, abort or validation failure alike — and may run more than once.
 *
 * @example
 * ```ts
 * const temp = new TempFiles(tmpdir());
 * const path = temp.reserve();
 * // ... write to path ...
 * await temp.cleanup(); // path is gone
 * ```
 */
export class TempFiles {
  private readonly owned = new Set<string>();

  constructor(readonly dir: string) {}

  /** A fresh path this request owns (the file is not created here). */
  reserve(): string {
    const path = join(this.dir, `velox-upload-${randomUUID()}`);
    this.owned.add(path);
    return path;
  }

  /** Hands a path over to the application (after a move): cleanup leaves it alone. */
  release(path: string): void {
    this.owned.delete(path);
  }

  /** How many files are still owned. */
  get size(): number {
    return this.owned.size;
  }

  /** Removes every owned file; missing files are fine. Never rejects. */
  async cleanup(): Promise<void> {
    if (this.owned.size === 0) return;
    const paths = [...this.owned];
    this.owned.clear();
    await Promise.all(paths.map((path) => rm(path, { force: true }).catch(() => undefined)));
  }
}
