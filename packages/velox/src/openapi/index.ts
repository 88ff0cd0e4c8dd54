export { generateOpenAPI, checkOperationIds, type OpenAPIApp } from "./generate.ts";
export { mountDocs, type DocsApp } from "./mount.ts";
export { writeOpenAPI, type WriteOpenAPIOptions } from "./cli.ts";
export { loadApp } from "./load-app.ts";
export { resolveOpenAPIOptions, type OpenAPIOptions, type OperationIdRoute, type ResolvedOpenAPIOptions } from "./options.ts";
export { Webhooks, type WebhookConfig, type WebhookMethod, type WebhookRecord } from "./webhooks.ts";
export { swaggerUiHtml, redocHtml, oauth2RedirectHtml, SWAGGER_UI_DEFAULTS, type SwaggerPage, type RedocPage } from "./docs-html.ts";
export type {
  OpenAPIDocument,
  OperationObject,
  ParameterObject,
  PathItemObject,
  RequestBodyObject,
  ResponseObject,
  SchemaObject,
  SecurityRequirement,
  ServerObject,
  TagObject,
  InfoObject,
} from "./types.ts";
