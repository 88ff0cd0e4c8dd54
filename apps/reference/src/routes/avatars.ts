import { FileResponse, file, HTTPException, Router, security } from "velox";
import { z } from "zod";
import { AVATAR_MAX_BYTES, imageType } from "../avatars/avatar-store.ts";
import { idField } from "../models/columns.ts";
import { Message } from "../models/message.ts";
import { activeUser } from "../web/security.ts";
import { getServices } from "../web/services.ts";

/**
 * What `PUT /users/me/avatar` answers.
 *
 * @example
 * ```ts
 * router.put("/me/avatar", { response: AvatarOut }, async () => ({ content_type: "image/png", size: 1234, url: "/users/1/avatar" }));
 * ```
 */
export const AvatarOut = z
  .object({ content_type: z.enum(["image/png", "image/jpeg"]), size: z.int(), url: z.string() })
  .meta({ id: "Avatar" });

const IMAGE_TYPES = ["image/png", "image/jpeg"] as const;
const noAvatar = { 404: { schema: Message, description: "The user has no avatar" } };

/**
 * Avatars: `PUT /users/me/avatar` (multipart field `file`, PNG or JPEG as its magic bytes say,
 * at most 2 MiB — a larger upload is a 413 while it streams) and `GET /users/{user_id}/avatar`
 * (the image, with ETag and 304s). Avatars are public, so `<img>` tags need no token.
 *
 * @example
 * ```ts
 * app.include(avatarsRouter());
 * ```
 */
export function avatarsRouter(): Router {
  const router = new Router({ prefix: "/users", tags: ["users"] });

  router.put(
    "/me/avatar",
    {
      form: { file: file({ accept: IMAGE_TYPES, description: "A PNG or JPEG image of at most 2 MiB." }) },
      multipart: { maxFileSize: AVATAR_MAX_BYTES, maxFiles: 1, maxFields: 8 },
      deps: { user: security(activeUser, ["write"]), services: getServices },
      response: AvatarOut,
      responses: { 413: { schema: Message, description: "Larger than 2 MiB" }, 415: { schema: Message, description: "Not a PNG or JPEG image" } },
      summary: "Set your avatar",
    },
    async function setAvatar({ form, user, services }) {
      // The declared type is the client's claim; the first bytes are what browsers will sniff.
      const type = imageType((await form.file.bytes()).subarray(0, 8));
      if (type === null) throw new HTTPException(415, "The avatar must be a PNG or JPEG image");
      await services.avatars.save(user.id, form.file, type);
      return { content_type: type, size: form.file.size, url: `/users/${user.id}/avatar` };
    },
  );

  router.delete(
    "/me/avatar",
    { deps: { user: security(activeUser, ["write"]), services: getServices }, status: 204, responses: noAvatar, summary: "Remove your avatar" },
    async function removeAvatar({ user, services }) {
      if (!(await services.avatars.remove(user.id))) throw new HTTPException(404, "No avatar");
    },
  );

  router.get(
    "/{user_id}/avatar",
    {
      path: { user_id: idField() },
      deps: { services: getServices },
      responses: {
        200: { description: "The image (PNG or JPEG), with an ETag", contentType: "image/*" },
        304: { description: "Not modified (If-None-Match matched)" },
        ...noAvatar,
      },
      summary: "A user's avatar",
    },
    async function readAvatar({ path, services, req }) {
      const found = await services.avatars.find(path.user_id);
      if (found === null) throw new HTTPException(404, "No avatar");
      return new FileResponse(found, { headers: { "cache-control": "public, max-age=60" } }).prepare(req);
    },
  );

  return router;
}
