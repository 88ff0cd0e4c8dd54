/** JSON Schema as it appears in an OpenAPI 3.1 document (only what the fuzzer reads is typed). */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
  [key: string]: unknown;
}

/** One parameter of an operation. */
export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema: Schema;
}

/** One operation of the document, with everything the fuzzer needs to call it. */
export interface Operation {
  method: string;
  /** The path template, `/items/{item_id}`. */
  path: string;
  parameters: Parameter[];
  body: { contentType: string; schema: Schema; required: boolean } | null;
  /** Response schema by status (`null`: the status is documented without a body). */
  /** The JSON schema per documented status; null for no body, "opaque" for a non-JSON body (an image, an event stream). */
  responses: Record<string, Schema | null | "opaque">;
  secured: boolean;
}

/** An OpenAPI 3.1 document, as far as the fuzzer reads it. */
export interface OpenAPIDoc {
  paths?: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, Schema> };
  security?: unknown[];
}

interface OperationObject {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  security?: unknown[];
}

const METHODS = new Set(["get", "put", "post", "delete", "patch", "head", "options"]);

/**
 * Resolves a local `$ref` (`#/components/schemas/Item`) against the document; other schemas
 * are returned as they are.
 *
 * @example
 * ```ts
 * const item = deref(doc, { $ref: "#/components/schemas/Item" });
 * ```
 */
export function deref(doc: OpenAPIDoc, schema: Schema): Schema {
  let current = schema;
  for (let depth = 0; current.$ref !== undefined; depth++) {
    if (depth > 32 || !current.$ref.startsWith("#/")) throw new Error(`cannot resolve ${current.$ref}`);
    let target: unknown = doc;
    for (const part of current.$ref.slice(2).split("/")) target = (target as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    if (target === undefined) throw new Error(`dangling ${current.$ref}`);
    current = target as Schema;
  }
  return current;
}

/**
 * Every operation of the document.
 *
 * @example
 * ```ts
 * for (const op of operationsOf(doc)) console.log(op.method, op.path);
 * ```
 */
export function operationsOf(doc: OpenAPIDoc): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const content = Object.entries(op.requestBody?.content ?? {})[0];
      const responses: Record<string, Schema | null | "opaque"> = {};
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        const json = response.content?.["application/json"]?.schema;
        responses[status] = json ?? (response.content === undefined ? null : "opaque");
      }
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters ?? []).map((p) => ({ ...p, required: p.required === true })),
        body: content === undefined ? null : { contentType: content[0], schema: content[1].schema ?? {}, required: op.requestBody?.required === true },
        responses,
        secured: (op.security ?? doc.security ?? []).length > 0,
      });
    }
  }
  return operations;
}

/** Where a schema sits among an operation's inputs, for messages. */
export interface InputSite {
  operation: string;
  /** `path.item_id`, `body.title`, `body.items[]`... */
  at: string;
  schema: Schema;
}

/**
 * Every leaf schema a client's value meets: each parameter and each property of a request body,
 * followed through `$ref`, `anyOf`/`oneOf`/`allOf`, object properties and array items.
 *
 * @example
 * ```ts
 * for (const site of inputSites(doc)) if (site.schema.type === "integer") check(site);
 * ```
 */
export function inputSites(doc: OpenAPIDoc): InputSite[] {
  const sites: InputSite[] = [];
  const visit = (operation: string, at: string, schema: Schema, seen: Set<Schema>): void => {
    const resolved = deref(doc, schema);
    if (seen.has(resolved)) return;
    const inner = new Set(seen).add(resolved);
    for (const branch of [...(resolved.anyOf ?? []), ...(resolved.oneOf ?? []), ...(resolved.allOf ?? [])]) visit(operation, at, branch, inner);
    for (const [name, property] of Object.entries(resolved.properties ?? {})) visit(operation, `${at}.${name}`, property, inner);
    if (resolved.items !== undefined) visit(operation, `${at}[]`, resolved.items, inner);
    if (resolved.type !== undefined) sites.push({ operation, at, schema: resolved });
  };
  for (const op of operationsOf(doc)) {
    const operation = `${op.method} ${op.path}`;
    for (const p of op.parameters) visit(operation, `${p.in}.${p.name}`, p.schema, new Set());
    if (op.body !== null) visit(operation, "body", op.body.schema, new Set());
  }
  return sites;
}
