import { VeloxError } from "../errors.ts";
import type { RouteRecord } from "../router.ts";
import type { InfoObject, ServerObject, TagObject } from "./types.ts";
import type { Webhooks } from "./webhooks.ts";

/**
 * What a custom operationId generator learns about an operation.
 *
 * @example
 * ```ts
 * new Velox({ openapi: { generateOperationId: (r: OperationIdRoute) => `${r.tags[0]}-${r.name ?? r.method}` } });
 * ```
 */
export interface OperationIdRoute {
  /** Lower-case HTTP method: `get`, `post`... */
  method: string;
  /** The documented path (`/items/{item_id}`), or the webhook's name. */
  path: string;
  /** The route's `name`, else its handler function's name; `undefined` for anonymous handlers. */
  name: string | undefined;
  tags: readonly string[];
  /** The registered route, or `null` for a webhook. */
  route: RouteRecord | null;
}

/**
 * OpenAPI and docs settings of an app (`new Velox({ openapi: { ... } })`). Every URL can be set to
 * `null` to turn that page off; without `openapiUrl` no docs page is served either.
 *
 * @example
 * ```ts
 * const app = new Velox({
 *   title: "Shop",
 *   version: "2.1.0",
 *   openapi: {
 *     tags: [{ name: "items", description: "Everything about items" }],
 *     servers: [{ url: "https://api.example.com" }],
 *     redocUrl: null,
 *     generateOperationId: ({ tags, name }) => `${tags[0]}-${name}`,
 *   },
 * });
 * ```
 */
export interface OpenAPIOptions {
  /** Overrides the app's `title` in the document (default: the app's title, else "Velox"). */
  title?: string;
  /** Overrides the app's `version` (default: the app's version, else "0.1.0"). */
  version?: string;
  /** Overrides the app's `description` (Markdown). */
  description?: string;
  summary?: string;
  termsOfService?: string;
  contact?: InfoObject["contact"];
  license?: InfoObject["license"];
  /** Servers of the document. Default: `[{ url: rootPath }]` when `rootPath` is set, else none. */
  servers?: ServerObject[];
  /** The path prefix a proxy serves the app under (`/api/v1`): docs pages load the document from it. */
  rootPath?: string;
  /** Tag metadata, in display order. */
  tags?: TagObject[];
  externalDocs?: { url: string; description?: string };
  /** Requests your API sends to others, documented under `webhooks`. */
  webhooks?: Webhooks;
  /** Where the document is served (default `/openapi.json`); `null` serves no document and no docs. */
  openapiUrl?: string | null;
  /** Swagger UI (default `/docs`); `null` turns it off. */
  docsUrl?: string | null;
  /** ReDoc (default `/redoc`); `null` turns it off. */
  redocUrl?: string | null;
  /** Swagger UI's OAuth2 redirect page (default `<docsUrl>/oauth2-redirect`). */
  swaggerUiOAuth2RedirectUrl?: string | null;
  /** Merged over Velox's Swagger UI configuration (`deepLinking`, `persistAuthorization`, ...). */
  swaggerUiParameters?: Record<string, unknown>;
  /** Passed to Swagger UI's `initOAuth` (`clientId`, `usePkceWithAuthorizationCodeGrant`, ...). */
  swaggerUiInitOAuth?: Record<string, unknown>;
  /** Options passed to `Redoc.init` (`hideDownloadButton`, `expandResponses`, ...). */
  redocOptions?: Record<string, unknown>;
  /** Builds the operationId of routes without an explicit one. Results must be unique. */
  generateOperationId?: (route: OperationIdRoute) => string;
  /** Name models `-Input`/`-Output` when their request and response forms differ (default true). */
  separateInputOutputSchemas?: boolean;
  /** Deep-merged into the generated document last (e.g. `{ info: { "x-logo": { url } } }`). */
  extra?: Record<string, unknown>;
}

/**
 * {@link OpenAPIOptions} with the app's settings and defaults filled in.
 *
 * @example
 * ```ts
 * const { docsUrl, openapiUrl } = resolveOpenAPIOptions(app.config); // "/docs", "/openapi.json"
 * ```
 */
export interface ResolvedOpenAPIOptions extends OpenAPIOptions {
  title: string;
  version: string;
  rootPath: string;
  openapiUrl: string | null;
  docsUrl: string | null;
  redocUrl: string | null;
  swaggerUiOAuth2RedirectUrl: string | null;
  separateInputOutputSchemas: boolean;
}

/**
 * The parts of an app the OpenAPI options are read from.
 *
 * @example
 * ```ts
 * resolveOpenAPIOptions({ title: "Shop", openapi: { docsUrl: null } } satisfies OpenAPIAppConfig);
 * ```
 */
export interface OpenAPIAppConfig {
  title?: string;
  version?: string;
  description?: string;
  openapi?: Record<string, unknown> | OpenAPIOptions;
}

function checkUrl(name: string, value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== "string" || !value.startsWith("/") || /[\s?#]/.test(value)) {
    throw new VeloxError("VX_INVALID_OPTION", `openapi.${name} must be a path starting with "/" (or null), got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Reads an app's OpenAPI settings: `config.openapi` over the app's title, version and
 * description, with FastAPI's defaults for the URLs.
 *
 * @example
 * ```ts
 * resolveOpenAPIOptions({ title: "Shop", openapi: { docsUrl: null } }).openapiUrl; // "/openapi.json"
 * ```
 */
export function resolveOpenAPIOptions(config: OpenAPIAppConfig): ResolvedOpenAPIOptions {
  const options = (config.openapi ?? {}) as OpenAPIOptions;
  const rootPath = options.rootPath ?? "";
  if (rootPath !== "" && (!rootPath.startsWith("/") || rootPath.endsWith("/"))) {
    throw new VeloxError("VX_INVALID_OPTION", `openapi.rootPath must start with "/" and not end with "/", got ${JSON.stringify(rootPath)}`);
  }
  const openapiUrl = checkUrl("openapiUrl", options.openapiUrl === undefined ? "/openapi.json" : options.openapiUrl);
  const docsUrl = checkUrl("docsUrl", options.docsUrl === undefined ? "/docs" : options.docsUrl);
  const redirect = options.swaggerUiOAuth2RedirectUrl === undefined
    ? (docsUrl === null ? null : `${docsUrl.replace(/\/$/, "")}/oauth2-redirect`)
    : options.swaggerUiOAuth2RedirectUrl;
  const description = options.description ?? config.description;
  return {
    ...options,
    title: options.title ?? config.title ?? "Velox",
    version: options.version ?? config.version ?? "0.1.0",
    ...(description === undefined ? {} : { description }),
    rootPath,
    openapiUrl,
    docsUrl,
    redocUrl: checkUrl("redocUrl", options.redocUrl === undefined ? "/redoc" : options.redocUrl),
    swaggerUiOAuth2RedirectUrl: checkUrl("swaggerUiOAuth2RedirectUrl", redirect),
    separateInputOutputSchemas: options.separateInputOutputSchemas ?? true,
  };
}
