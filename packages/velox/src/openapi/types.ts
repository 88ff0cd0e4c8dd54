/**
 * The parts of an OpenAPI 3.1 document Velox writes. Objects stay open (`[key: string]: unknown`)
 * because `openapiExtra` and specification extensions (`x-...`) may add anything.
 */

/** A JSON Schema (draft 2020-12) inside the document. */
export type SchemaObject = Record<string, any>;

/** An OpenAPI Parameter Object. */
export interface ParameterObject {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema: SchemaObject;
  description?: string;
  deprecated?: boolean;
  [key: string]: unknown;
}

/** An OpenAPI Media Type Object. */
export interface MediaTypeObject {
  schema?: SchemaObject;
  [key: string]: unknown;
}

/** An OpenAPI Request Body Object. */
export interface RequestBodyObject {
  content: Record<string, MediaTypeObject>;
  required?: boolean;
  description?: string;
  [key: string]: unknown;
}

/** An OpenAPI Response Object. */
export interface ResponseObject {
  description: string;
  content?: Record<string, MediaTypeObject>;
  headers?: Record<string, { description?: string; schema?: SchemaObject; [key: string]: unknown }>;
  [key: string]: unknown;
}

/** One entry of an operation's `security`: scheme name → required scopes. */
export type SecurityRequirement = Record<string, string[]>;

/** An OpenAPI Operation Object. */
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

/** The operations of one path, by lower-case method. */
export type PathItemObject = Partial<Record<"get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace", OperationObject>> & {
  [key: string]: unknown;
};

/** An OpenAPI Server Object. */
export interface ServerObject {
  url: string;
  description?: string;
  variables?: Record<string, { default: string; enum?: string[]; description?: string }>;
  [key: string]: unknown;
}

/** An OpenAPI Tag Object: metadata for a tag used by operations. */
export interface TagObject {
  name: string;
  description?: string;
  externalDocs?: { url: string; description?: string };
  [key: string]: unknown;
}

/** An OpenAPI Info Object. */
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

/** An OpenAPI 3.1 document as Velox generates it. */
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
