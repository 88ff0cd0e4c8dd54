import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { ErrorDetail } from "../../http-exception.ts";
import { registerIssueMapper } from "../../schema/errors/index.ts";
import { pydantic } from "../../schema/errors/pydantic.ts";
import type { AnySchema } from "../../schema/types.ts";
import { UploadFile } from "./upload-file.ts";

const VENDOR = "velox-file";

/** What a file field accepts. */
export interface FileOptions {
  /**
   * Media types the part's Content-Type must match (`"image/png"`, `"image/*"`); anything else is a
   * 422. The type is what the client claims: check magic bytes when it matters.
   */
  accept?: readonly string[];
  /** Shown in OpenAPI. */
  description?: string;
}

/** What a field of several files accepts. */
export interface FilesOptions extends FileOptions {
  /** Fewest files (default 1: none sent is a `missing` error; 0 makes the field optional). */
  min?: number;
  /** Most files in this field. */
  max?: number;
}

/**
 * A Standard Schema for upload fields of `form`: it validates {@link UploadFile} values and is
 * documented as a binary string, so Swagger UI shows a file picker.
 */
export interface FileSchema<Out> extends StandardSchemaV1<Out, Out> {
  /** The same field, optional: `undefined` when no file was sent. */
  optional(): FileSchema<Out | undefined>;
}

type FileIssue = StandardSchemaV1.Issue & {
  code: "missing" | "not_a_file" | "file_type" | "too_short" | "too_long";
  input: unknown;
  min?: number;
  max?: number;
};

function fail(code: FileIssue["code"], input: unknown, message: string, path: readonly PropertyKey[] = [], extra: Partial<FileIssue> = {}): StandardSchemaV1.FailureResult {
  return { issues: [{ code, input, message, path, ...extra } as FileIssue] };
}

function pythonType(value: unknown): string {
  if (typeof value === "string") return "<class 'str'>";
  if (Array.isArray(value)) return "<class 'list'>";
  return `<class '${typeof value}'>`;
}

function typeMatcher(accept: readonly string[] | undefined): ((type: string) => boolean) | null {
  if (accept === undefined || accept.length === 0) return null;
  const exact = new Set(accept.filter((t) => !t.endsWith("/*")).map((t) => t.toLowerCase()));
  const prefixes = accept.filter((t) => t.endsWith("/*")).map((t) => t.slice(0, -1).toLowerCase());
  return (type) => exact.has(type) || prefixes.some((p) => type.startsWith(p));
}

function binary(options: FileOptions): Record<string, unknown> {
  // `format: binary` is what Swagger UI reads for a file picker; `contentMediaType` is OpenAPI 3.1's word.
  const json: Record<string, unknown> = { type: "string", format: "binary", contentMediaType: "application/octet-stream" };
  if (options.description !== undefined) json.description = options.description;
  return json;
}

function checkOne(value: unknown, accepts: ((type: string) => boolean) | null, accept: readonly string[] | undefined, path: readonly PropertyKey[]): StandardSchemaV1.FailureResult | null {
  if (!(value instanceof UploadFile)) return fail("not_a_file", value, `Expected UploadFile, received: ${pythonType(value)}`, path);
  if (accepts !== null && !accepts(value.contentType)) {
    return fail("file_type", value.contentType, `File type must be one of ${accept!.join(", ")}, not ${value.contentType}`, path);
  }
  return null;
}

function make<Out>(validate: (value: unknown) => StandardSchemaV1.Result<Out>, json: Record<string, unknown>, optionalOf: () => FileSchema<any>): FileSchema<Out> {
  const describe = () => structuredClone(json);
  return {
    "~standard": { version: 1, vendor: VENDOR, validate, jsonSchema: { input: describe, output: describe } } as StandardSchemaV1.Props<Out, Out>,
    optional: optionalOf,
  };
}

/**
 * One uploaded file in a `form` (FastAPI's `file: UploadFile = File()`): the route then reads
 * `multipart/form-data` and the handler gets an {@link UploadFile}. Sizes are capped per route
 * (`multipart: { maxFileSize }`, 413 while streaming); `accept` checks the declared media type.
 *
 * @example
 * ```ts
 * app.put("/users/me/avatar", { form: { file: file({ accept: ["image/png", "image/jpeg"] }) }, multipart: { maxFileSize: 2 << 20 } },
 *   async ({ form }) => ({ size: form.file.size, type: form.file.contentType }));
 * app.post("/notes", { form: { text: z.string(), attachment: file().optional() } }, ({ form }) => form.attachment?.filename ?? null);
 * ```
 */
export function file(options: FileOptions = {}): FileSchema<UploadFile> {
  const accepts = typeMatcher(options.accept);
  const json = binary(options);
  const build = (required: boolean): FileSchema<any> => make(
    (value) => {
      if (value === undefined || value === "") return required ? fail("missing", null, "Field required") : { value: undefined };
      return checkOne(value, accepts, options.accept, []) ?? { value };
    },
    json,
    () => build(false),
  );
  return build(true);
}

/**
 * Several files under one field name (FastAPI's `files: list[UploadFile]`): the handler gets an
 * array in the order sent. At least one is required unless `min: 0`.
 *
 * @example
 * ```ts
 * app.post("/albums", { form: { title: z.string(), photos: files({ max: 20, accept: ["image/*"] }) } },
 *   ({ form }) => ({ title: form.title, count: form.photos.length }));
 * ```
 */
export function files(options: FilesOptions = {}): FileSchema<UploadFile[]> {
  const accepts = typeMatcher(options.accept);
  const min = options.min ?? 1;
  const max = options.max;
  const item = binary({});
  const json: Record<string, unknown> = { type: "array", items: item };
  if (options.description !== undefined) json.description = options.description;
  if (max !== undefined) json.maxItems = max;
  if (min > 1) json.minItems = min;
  const build = (required: boolean): FileSchema<any> => make(
    (value) => {
      const list = value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value];
      if (list.length === 0) {
        if (!required) return { value: undefined };
        if (min === 0) return { value: [] };
        return fail("missing", null, "Field required");
      }
      for (let i = 0; i < list.length; i++) {
        const problem = checkOne(list[i], accepts, options.accept, [i]);
        if (problem !== null) return problem;
      }
      if (list.length < min) return fail("too_short", list, `expected at least ${min} files`, [], { min });
      if (max !== undefined && list.length > max) return fail("too_long", list, `expected at most ${max} files`, [], { max });
      return { value: list };
    },
    json,
    () => build(false),
  );
  return build(true);
}

/**
 * True for the schemas of {@link file} and {@link files}: a form with one is documented as
 * `multipart/form-data` (a URL-encoded body cannot carry its files).
 *
 * @example
 * ```ts
 * isFileSchema(file()); // true
 * isFileSchema(z.string()); // false
 * ```
 */
export function isFileSchema(schema: AnySchema): boolean {
  return schema["~standard"].vendor === VENDOR;
}

function mapIssue(raw: StandardSchemaV1.Issue, prefix: (string | number)[]): ErrorDetail[] {
  const found = raw as FileIssue;
  const loc = [...prefix, ...((found.path ?? []) as (string | number)[])];
  switch (found.code) {
    case "missing": return [pydantic.missing(loc, null)];
    case "too_short": return [pydantic.tooShort(loc, describeList(found.input), found.min!, (found.input as unknown[]).length)];
    case "too_long": return [pydantic.tooLong(loc, describeList(found.input), found.max!, (found.input as unknown[]).length)];
    case "not_a_file": return [pydantic.valueError(loc, typeof found.input === "string" ? found.input : describeList(found.input), raw.message)];
    default: return [pydantic.valueError(loc, found.input, raw.message)];
  }
}

/** Files in an error's `input` appear by their metadata (an UploadFile serializes to it). */
function describeList(input: unknown): unknown {
  return Array.isArray(input) ? input.map((v) => (v instanceof UploadFile ? v.toJSON() : v)) : input instanceof UploadFile ? input.toJSON() : input;
}

registerIssueMapper(VENDOR, mapIssue);
