import type { RequestContext } from "../../context.ts";
import { ExitStack } from "../../di/exit-stack.ts";
import { ProtocolError } from "../../errors.ts";
import { fieldsRequestBody } from "../../openapi/request-body.ts";
import { isUrlEncoded } from "../form-body.ts";
import { isFileSchema } from "../multipart/file-schema.ts";
import { resolveMultipartLimits, type MultipartLimits } from "../multipart/limits.ts";
import { isMultipart, readMultipart } from "../multipart/read-multipart.ts";
import type { TempFiles } from "../multipart/temp-files.ts";
import type { RawSource } from "../raw-inputs.ts";
import type { BodyDocInputs, BodyKind, BodyReadOptions } from "./body-kind.ts";
import { formBody } from "./form.ts";

const MULTIPART = "multipart/form-data";
const URLENCODED = "application/x-www-form-urlencoded";

const prepared = new WeakMap<BodyReadOptions, MultipartLimits>();

/**
 * The multipart caps of a route: its `multipart` options over the secure defaults, with the
 * route's own `bodyLimit` (not the app's, which is for buffered bodies) as the total cap when
 * `maxBodySize` is not given.
 */
function limitsOf(options: BodyReadOptions, where = "route"): MultipartLimits {
  let limits = prepared.get(options);
  if (limits === undefined) {
    const { multipart, bodyLimit } = options.config;
    limits = resolveMultipartLimits({ ...(bodyLimit === undefined ? {} : { maxBodySize: bodyLimit }), ...multipart }, where);
    prepared.set(options, limits);
  }
  return limits;
}

/**
 * Runs the temp files' removal with the request's other cleanups: after the response is done and
 * the handler has returned, whichever way the request ended (success, error, validation failure,
 * client gone), so a handler still reading a spooled file never loses it underneath.
 */
function cleanUpWithRequest(ctx: RequestContext, temp: TempFiles): void {
  const done = { done: true as const, value: undefined };
  const cleanup = () => temp.cleanup().then(() => done);
  (ctx._exit ??= new ExitStack()).push({ next: cleanup, return: cleanup, throw: cleanup }, "request");
}

/** Streams a multipart body into `ctx._rawForm`: text fields and `UploadFile`s by name. */
async function readInto(ctx: RequestContext, options: BodyReadOptions): Promise<void> {
  const form = await readMultipart(ctx.req, limitsOf(options));
  cleanUpWithRequest(ctx, form.temp);
  // Form sources hold strings and, for multipart, UploadFiles too; the file() schemas take those.
  ctx._rawForm = form.fields as unknown as RawSource;
}

function hasFiles(inputs: BodyDocInputs): boolean {
  return inputs.sources.some((s) => s.location === "form" && s.parameters.some((p) => isFileSchema(p.schema)));
}

/**
 * `multipart/form-data` only: streamed with busboy within the route's caps (≤ 10 files, ≤ 1000
 * fields, ≤ 1 MiB per field, ≤ 10 MiB per file, part headers ≤ 8 KiB, 128 MiB in all, each
 * changeable with the route's `multipart` option); files become `UploadFile`s spooled to temp
 * files past 1 MiB and removed when the request ends. Pick it with `bodyKind` to refuse
 * URL-encoded bodies; `form` routes read both by default ({@link formDataBody}).
 *
 * @example
 * ```ts
 * app.post("/scans", { form: { scan: file() }, bodyKind: multipartBody, multipart: { maxFileSize: 50 << 20 } }, ({ form }) => form.scan.size);
 * ```
 */
export const multipartBody: BodyKind = {
  name: "multipart",
  provides: "fields",
  mediaTypes: [MULTIPART],
  prepare: (options, where) => void limitsOf(options, where),
  checkContentType(contentType) {
    if (!isMultipart(contentType)) throw new ProtocolError(415, "Content-Type must be multipart/form-data");
  },
  read: readInto,
  document: (inputs) => fieldsRequestBody(MULTIPART, inputs),
};

/**
 * What `form` parameters read by default, as FastAPI's `Form()` and `File()` do: a URL-encoded
 * body (buffered, within `bodyLimit`) or a `multipart/form-data` one (streamed, see
 * {@link multipartBody}). Documented as `multipart/form-data` when a field is a `file()`, else as
 * URL-encoded.
 *
 * @example
 * ```ts
 * app.post("/profile", { form: { name: z.string(), photo: file().optional() } }, ({ form }) => save(form));
 * ```
 */
export const formDataBody: BodyKind = {
  name: "form-data",
  provides: "fields",
  mediaTypes: [URLENCODED, MULTIPART],
  prepare: (options, where) => void limitsOf(options, where),
  checkContentType(contentType) {
    if (!isUrlEncoded(contentType) && !isMultipart(contentType)) {
      throw new ProtocolError(415, `Content-Type must be ${URLENCODED} or ${MULTIPART}`);
    }
  },
  // URL-encoded bodies take the buffered path (decode); only multipart streams.
  read: (ctx, options) => (isMultipart(ctx.req.headers["content-type"]) ? readInto(ctx, options) : null),
  decode: formBody.decode!,
  document: (inputs) => fieldsRequestBody(hasFiles(inputs) ? MULTIPART : URLENCODED, inputs),
};
