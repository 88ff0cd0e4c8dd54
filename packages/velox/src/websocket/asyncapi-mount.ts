import type { Velox } from "../app.ts";
import { analyzeDependant } from "../di/analyze.ts";
import { DependencyOverrides } from "../di/overrides.ts";
import { collectInputs } from "../openapi/operation.ts";
import { operationParameters } from "../openapi/parameters.ts";
import { operationSecurity } from "../openapi/security.ts";
import { VeloxResponse } from "../responses/response.ts";
import { HTMLResponse } from "../responses/simple.ts";
import { generateAsyncAPI, type AsyncAPIChannelInput, type AsyncAPIDocument } from "./asyncapi.ts";
import { asyncapiHtml } from "./asyncapi-page.ts";
import type { WebSocketRouteRecord } from "./route-types.ts";

function channelInput(record: WebSocketRouteRecord): AsyncAPIChannelInput {
  const where = `WS ${record.template.template}`;
  const { config } = record;
  // Documented as declared: test overrides change what runs, not what the document says.
  const graph = analyzeDependant(config, record.dependencies, { overrides: new DependencyOverrides(), optimize: false, where });
  const name = config.name ?? (record.handler.name || record.template.template.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, "") || "root");
  return {
    template: record.template.template.replace(/\{([^{}:]+):[^{}]*\}/g, "{$1}"),
    name,
    ...(config.summary ? { summary: config.summary } : {}),
    ...(config.description ? { description: config.description } : {}),
    tags: record.tags,
    ...(config.deprecated ? { deprecated: true } : {}),
    parameters: (registry) => operationParameters(collectInputs(graph).sources, record.template.params, registry),
    ...(config.message ? { inbound: config.message } : {}),
    ...(config.send ? { outbound: config.send } : {}),
    security: operationSecurity(graph),
    onInvalidMessage: config.onInvalidMessage ?? "error",
    ...(config.subprotocols ? { subprotocols: config.subprotocols } : {}),
  };
}

/**
 * The AsyncAPI 3.0 document of an app's WebSocket routes (those in the schema), from the same
 * schemas and the same dependency analysis as the routes themselves.
 *
 * @example
 * ```ts
 * const doc = asyncapiDocument(app);
 * doc.channels["ws_room"].address; // "/ws/{room}"
 * ```
 */
export function asyncapiDocument(app: Velox): AsyncAPIDocument {
  const { title = "Velox", version = "0.1.0", description } = app.config;
  return generateAsyncAPI(
    { title, version, ...(description ? { description } : {}), ...(app.config.websocket?.asyncapiServers ? { servers: app.config.websocket.asyncapiServers } : {}) },
    app.wsRecords.filter((r) => r.includeInSchema && r.config.includeInSchema !== false).map(channelInput),
  );
}

/** Serves the AsyncAPI document (`/asyncapi.json`) and its page (`/asyncapi`), both left out of OpenAPI. */
export function mountAsyncAPI(app: Velox): void {
  const options = app.config.websocket ?? {};
  const url = options.asyncapiUrl === undefined ? "/asyncapi.json" : options.asyncapiUrl;
  if (url === null) return;
  let json: string | null = null;
  const text = () => (json ??= JSON.stringify(asyncapiDocument(app)));
  const taken = (path: string) => app.routes.some((r) => r.method === "GET" && r.template.template === path);
  if (!taken(url)) {
    app.addInternalRoute("GET", url, { includeInSchema: false }, () => new VeloxResponse(text(), { headers: { "content-type": "application/json" } }));
  }
  const page = options.asyncapiDocsUrl === undefined ? "/asyncapi" : options.asyncapiDocsUrl;
  if (page !== null && !taken(page)) {
    let html: string | null = null;
    app.addInternalRoute("GET", page, { includeInSchema: false }, () =>
      new HTMLResponse((html ??= asyncapiHtml(JSON.parse(text()) as AsyncAPIDocument, url)), { headers: { "cache-control": "no-cache" } }));
  }
}
