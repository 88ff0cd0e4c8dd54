import type { RequestContext } from "../../context.ts";
import type { SchemaRegistry } from "../../openapi/schema-registry.ts";
import type { RequestBodyObject } from "../../openapi/types.ts";
import type { RouteConfig } from "../../route-types.ts";
import type { AnySchema } from "../../schema/types.ts";
import type { SourceExtractor } from "../extract.ts";

/** What a request body is read for, once per route: its byte limit and the route's own options. */
export interface BodyReadOptions {
  /** Largest accepted body in bytes (route `bodyLimit`, else the app's). */
  limit: number;
  /** The route's config, for kind-specific options. */
  config: RouteConfig;
}

/** The declarations an operation's request body is documented from (the route's and its dependencies'). */
export interface BodyDocInputs {
  /** `body` schemas of the route and its dependencies (each validates the whole decoded value). */
  schemas: readonly AnySchema[];
  /** Every parameter source of the route and its dependencies; field kinds pick out `form` ones. */
  sources: readonly SourceExtractor[];
  operationId: string;
  registry: SchemaRegistry;
}

/**
 * One way of reading a request body — a row of the body-kind table. A kind owns its Content-Type
 * check (run before any byte is read), its reader, and its OpenAPI request body. It provides
 * either a decoded `value` (validated by the `body` schemas of the route and its dependencies) or
 * `fields` (read by their `form` parameters). Buffered kinds implement `decode`, which runs on the
 * whole body once it is in (within the route's `bodyLimit`); streaming kinds implement `read`.
 *
 * @example
 * ```ts
 * const csv: BodyKind = {
 *   name: "csv",
 *   provides: "value",
 *   mediaTypes: ["text/csv"],
 *   checkContentType(type) { if (!type?.startsWith("text/csv")) throw new ProtocolError(415, "Content-Type must be text/csv"); },
 *   decode(bytes, ctx) { ctx._rawBody = bytes.toString("utf8").split("\n").map((line) => line.split(",")); },
 *   document: (inputs) => valueRequestBody("text/csv", inputs),
 * };
 * app.post("/import", { body: z.array(z.array(z.string())), bodyKind: csv }, ({ body }) => ({ rows: body.length }));
 * ```
 */
export interface BodyKind {
  readonly name: string;
  readonly provides: "value" | "fields";
  /** Media types it reads; the first is documented. */
  readonly mediaTypes: readonly string[];
  /** Throws a `ProtocolError` (415) unless the request's Content-Type is one this kind reads. */
  checkContentType(contentType: string | undefined, ctx: RequestContext): void;
  /** Decodes a buffered body into `ctx._rawBody` (value kinds) or `ctx._rawForm` (field kinds). */
  decode?(bytes: Buffer, ctx: RequestContext, options: BodyReadOptions): void;
  /**
   * Reads the body itself (streaming kinds), filling the same fields. A kind that streams some
   * bodies and buffers others returns null for a request it leaves to `decode` (the default form
   * kind streams multipart and buffers URL-encoded bodies).
   */
  read?(ctx: RequestContext, options: BodyReadOptions): Promise<void> | null;
  /** Checks and compiles the kind's route options once, when the route is compiled (bad options fail the app's start, not a request). */
  prepare?(options: BodyReadOptions, where: string): void;
  /** The OpenAPI Request Body Object, or undefined when nothing is declared. */
  document(inputs: BodyDocInputs): RequestBodyObject | undefined;
}
