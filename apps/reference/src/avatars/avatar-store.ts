/**
 * Users' avatars on disk: one file per user named by the user's id (never by what the client
 * called it), PNG or JPEG as its first bytes say, replaced atomically.
 */
import { randomUUID } from "node:crypto";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { UploadFile } from "velox";

/** The largest avatar accepted (the route's multipart cap answers 413 beyond it). */
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const EXTENSIONS = { "image/png": "png", "image/jpeg": "jpg" } as const;

export type AvatarType = keyof typeof EXTENSIONS;

/**
 * The image type the content's magic bytes announce, or null: the client's Content-Type is a
 * claim, these bytes are what a browser will sniff.
 *
 * @example
 * ```ts
 * imageType(await upload.bytes()); // "image/png"
 * ```
 */
export function imageType(head: Buffer): AvatarType | null {
  if (head.length >= PNG.length && head.subarray(0, PNG.length).equals(PNG)) return "image/png";
  if (head.length >= JPEG.length && head.subarray(0, JPEG.length).equals(JPEG)) return "image/jpeg";
  return null;
}

/**
 * The avatars directory.
 *
 * @example
 * ```ts
 * const avatars = new AvatarStore("/var/lib/app/avatars");
 * await avatars.save(user.id, upload, "image/png");
 * const path = await avatars.find(user.id);
 * ```
 */
export class AvatarStore {
  constructor(readonly dir: string) {}

  /** Stores `upload` as the user's avatar, replacing the old one; readers see either, never half. */
  async save(userId: number, upload: UploadFile, type: AvatarType): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const target = join(this.dir, `${userId}.${EXTENSIONS[type]}`);
    const staging = join(this.dir, `.upload-${randomUUID()}`);
    try {
      await upload.save(staging);
      await rename(staging, target);
    } finally {
      await rm(staging, { force: true });
    }
    for (const [other, ext] of Object.entries(EXTENSIONS)) {
      if (other !== type) await rm(join(this.dir, `${userId}.${ext}`), { force: true });
    }
    return target;
  }

  /** The path of the user's avatar, or null when there is none. */
  async find(userId: number): Promise<string | null> {
    for (const ext of Object.values(EXTENSIONS)) {
      const path = join(this.dir, `${userId}.${ext}`);
      try {
        if ((await stat(path)).isFile()) return path;
      } catch {
        // not this type
      }
    }
    return null;
  }

  /** Removes the user's avatar; true when there was one. */
  async remove(userId: number): Promise<boolean> {
    const path = await this.find(userId);
    if (path === null) return false;
    await rm(path, { force: true });
    return true;
  }
}
