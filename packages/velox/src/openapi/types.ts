/**
 * The parts of an OpenAPI 3.1 document Velox writes. Objects stay open (`[key: string]: unknown`)
 * because `openapiExtra` and specification extensions (`x-...`) may add anything.
 */

/**
 * A JSON Schema (draft 2020-12) inside the document.
 *
 * @example
 * ```ts
 * const schema: SchemaObject = { type: "integer", minimum: 1 };
 * ```
 */
export type SchemaObject = Record<string, any>;

/**
 * An OpenAPI Parameter Object.
 *
 * @example
 * ```ts
 * const p: ParameterObject = { name: "x-token", in: "header", required: true, schema: { type: "string" } };
 * ```
 */
export interface ParameterObject {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema: SchemaObject;
  description?: string;
  deprecated?: boolean;
  [key: string]: unknown;
}

/**
 * An OpenAPI Media Type Object.
 *
 * @example
 * ```ts
 * const json: MediaTypeObject = { schema: { $ref: "#/components/schemas/Item" } };
 * ```
 */
export interface MediaTypeObject {
  schema?: SchemaObject;
  [key: string]: unknown;
}

/**
 * An OpenAPI Request Body Object.
 *
 * @example
 * ```ts
 * const body: RequestBodyObject = { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/ItemIn" } } } };
 * ```
 */
export interface RequestBodyObject {
  content: Record<string, MediaTypeObject>;
  required?: boolean;
  description?: string;
  [key: string]: unknown;
}

/**
 * An OpenAPI Response Object.
 *
 * @example
 * ```ts
 * const notFound: ResponseObject = { description: "Not Found", content: { "application/json": { schema: { $ref: "#/components/schemas/Message" } } } };
 * ```
 */
export interface ResponseObject {
  description: string;
  content?: Record<string, MediaTypeObject>;
  headers?: Record<string, { description?: string; schema?: SchemaObject; [key: string]: unknown }>;
  [key: string]: unknown;
}

/**
 * One entry of an operation's `security`: scheme name → required scopes.
 *
 * @example
 * ```ts
 * const requirement: SecurityRequirement = { OAuth2PasswordBearer: ["items:read"] };
 * ```
 */
export type SecurityRequirement = Record<string, string[]>;

/**
 * An OpenAPI Operation Object.
 *
 * @example
 * ```ts
 * const op: OperationObject = generateOpenAPI(app).paths["/items/{item_id}"]!.get!;
 * op.operationId; // "readItem"
 * ```
 */
export interface OperationObject {
  tags?: string[];
  summary?: string;
  description?: string;
  operationId: string;
  parameters?: ParameterObject[];
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseObject>;
  deprecated?: boolean;
  security?: SecurityRequirement[];
  [key: string]: unknown;
}

/**
 * The operations of one path, by lower-case method.
 *
 * @example
 * ```ts
 * const item: PathItemObject = generateOpenAPI(app).paths["/items"]!;
 * Object.keys(item); // ["get", "post"]
 * ```
 */
export type PathItemObject = Partial<Record<"get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace", OperationObject>> & {
  [key: string]: unknown;
};

/**
 * An OpenAPI Server Object.
 *
 * @example
 * ```ts
 * const server: ServerObject = { url: "https://api.example.com", description: "Production" };
 * ```
 */
export interface ServerObject {
  url: string;
  description?: string;
  variables?: Record<string, { default: string; enum?: string[]; description?: string }>;
  [key: string]: unknown;
}

/**
 * An OpenAPI Tag Object: metadata for a tag used by operations.
 *
 * @example
 * ```ts
 * const tag: TagObject = { name: "items", description: "Everything about items" };
 * ```
 */
export interface TagObject {
  name: string;
  description?: string;
  externalDocs?: { url: string; description?: string };
  [key: string]: unknown;
}

/**
 * An OpenAPI Info Object.
 *
 * @example
 * ```ts
 * const info: InfoObject = { title: "Shop", version: "1.0.0", license: { name: "MIT", identifier: "MIT" } };
 * ```
 */
export interface InfoObject {
  title: string;
  version: string;
  summary?: string;
  description?: string;
  termsOfService?: string;
  contact?: { name?: string; url?: string; email?: string; [key: string]: unknown };
  license?: { name: string; identifier?: string; url?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/**
 * An OpenAPI 3.1 document as Velox generates it.
 *
 * @example
 * ```ts
 * const doc: OpenAPIDocument = generateOpenAPI(app);
 * await writeFile("openapi.json", JSON.stringify(doc, null, 2));
 * ```
 */
export interface OpenAPIDocument {
  openapi: "3.1.0";
  info: InfoObject;
  servers?: ServerObject[];
  paths: Record<string, PathItemObject>;
  webhooks?: Record<string, PathItemObject>;
  components?: {
    schemas?: Record<string, SchemaObject>;
    securitySchemes?: Record<string, Record<string, unknown>>;
    [key: string]: unknown;
  };
  tags?: TagObject[];
  externalDocs?: { url: string; description?: string };
  [key: string]: unknown;
}
