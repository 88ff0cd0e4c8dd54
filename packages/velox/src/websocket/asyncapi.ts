import { SchemaRegistry } from "../openapi/schema-registry.ts";
import type { OperationSecurity } from "../openapi/security.ts";
import type { ParameterObject, SchemaObject } from "../openapi/types.ts";
import type { AnySchema } from "../schema/types.ts";

/** An AsyncAPI 3.0 document, as plain JSON. */
export type AsyncAPIDocument = Record<string, any>;

/** One WebSocket route as the AsyncAPI generator reads it (built from the route's analysis). */
export interface AsyncAPIChannelInput {
  /** The path template, `/ws/{room}`. */
  template: string;
  /** A stable name (the route's name or handler name), used for channel and operation ids. */
  name: string;
  summary?: string;
  description?: string;
  tags?: readonly string[];
  deprecated?: boolean;
  /** The route's and its dependencies' parameters in OpenAPI form, documented with `registry`. */
  parameters: (registry: SchemaRegistry) => ParameterObject[];
  /** Messages the client sends (the route's `message` schema). */
  inbound?: AnySchema;
  /** Messages the server sends (the route's `send` schema). */
  outbound?: AnySchema;
  security: OperationSecurity;
  /** `error`: an invalid message is answered with an error frame (documented); `close`: with 1007/1003. */
  onInvalidMessage: "error" | "close";
  subprotocols?: readonly string[];
}

/** Document-level fields. */
export interface AsyncAPIInfo {
  title: string;
  version: string;
  description?: string;
  /** Servers by name: `{ production: { host: "chat.example.com", protocol: "wss" } }`. */
  servers?: Record<string, { host: string; protocol: "ws" | "wss"; pathname?: string; description?: string }>;
  /**
   * What relative URLs of security schemes (`tokenUrl: "auth/token"`) are resolved against, since
   * AsyncAPI requires absolute ones. Default: the first server (`wss` → `https`), else `http://localhost/`.
   */
  baseUrl?: string;
}

function baseUrlOf(info: AsyncAPIInfo): string {
  if (info.baseUrl) return info.baseUrl;
  const first = Object.values(info.servers ?? {})[0];
  if (first === undefined) return "http://localhost/";
  return `${first.protocol === "wss" ? "https" : "http"}://${first.host}${first.pathname ?? ""}/`;
}

const ERROR_FRAME: SchemaObject = {
  type: "object",
  properties: {
    type: { const: "error" },
    detail: {
      type: "array",
      items: {
        type: "object",
        properties: {
          type: { type: "string" },
          loc: { type: "array", items: { anyOf: [{ type: "string" }, { type: "integer" }] } },
          msg: { type: "string" },
          input: {},
          ctx: { type: "object" },
        },
        required: ["type", "loc", "msg", "input"],
      },
    },
  },
  required: ["type", "detail"],
};

/** `/ws/{room}` → `ws_room`: an id AsyncAPI accepts for channels. */
function channelId(template: string, taken: Set<string>): string {
  const base = template.replace(/\{([^{}:]+)(:[^{}]*)?\}/g, "$1").replace(/[^A-Za-z0-9_.-]+/g, "_").replace(/^_+|_+$/g, "") || "root";
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  taken.add(id);
  return id;
}

/** The AsyncAPI Parameter Object of a path parameter: not a schema in 3.0, so only its enum, default and description. */
function channelParameter(p: ParameterObject): Record<string, unknown> {
  const schema = (p.schema ?? {}) as SchemaObject;
  const out: Record<string, unknown> = {};
  const description = p.description ?? schema.description;
  if (typeof description === "string") out.description = description;
  if (Array.isArray(schema.enum)) out.enum = schema.enum.map(String);
  if (schema.default !== undefined) out.default = String(schema.default);
  if (Array.isArray(schema.examples)) out.examples = schema.examples.map(String);
  return out;
}

function objectOf(params: ParameterObject[]): SchemaObject | null {
  if (params.length === 0) return null;
  const properties: Record<string, SchemaObject> = {};
  const required: string[] = [];
  for (const p of params) {
    properties[p.name] = (p.schema ?? {}) as SchemaObject;
    if (p.required) required.push(p.name);
  }
  return required.length > 0 ? { type: "object", properties, required } : { type: "object", properties };
}

/** AsyncAPI wants absolute URLs where OpenAPI allows relative ones (`tokenUrl: "auth/token"`). */
function absolute(url: unknown, base: string): unknown {
  if (typeof url !== "string") return url;
  try {
    return new URL(url, base).href;
  } catch {
    return url;
  }
}

/** OpenAPI security scheme → AsyncAPI 3.0 security scheme. */
function securityScheme(scheme: Record<string, any>, base: string): Record<string, unknown> {
  const description = typeof scheme.description === "string" ? { description: scheme.description } : {};
  switch (scheme.type) {
    case "apiKey":
      return { type: "httpApiKey", name: scheme.name, in: scheme.in, ...description };
    case "http":
      return { type: "http", scheme: scheme.scheme, ...(scheme.bearerFormat ? { bearerFormat: scheme.bearerFormat } : {}), ...description };
    case "oauth2": {
      const flows: Record<string, unknown> = {};
      for (const [name, flow] of Object.entries((scheme.flows ?? {}) as Record<string, Record<string, unknown>>)) {
        const { scopes, ...rest } = flow;
        for (const key of ["tokenUrl", "authorizationUrl", "refreshUrl"]) if (key in rest) rest[key] = absolute(rest[key], base);
        flows[name] = { ...rest, availableScopes: scopes ?? {} };
      }
      return { type: "oauth2", flows, ...description };
    }
    case "openIdConnect":
      return { type: "openIdConnect", openIdConnectUrl: absolute(scheme.openIdConnectUrl, base), ...description };
    default:
      return { type: "userPassword", ...description };
  }
}

/**
 * Generates the AsyncAPI 3.0 document of an app's WebSocket routes from the same schemas the
 * routes validate with, through the OpenAPI generator's schema registry: each route is a channel
 * (its address the path template, path parameters as channel parameters, query and headers in
 * the `ws` binding), with a `receive` operation for the messages clients send (and, with the
 * default `onInvalidMessage: "error"`, a `send` of the error frame) and a `send` operation for
 * the messages the server sends. Security schemes come from the routes' security dependencies.
 *
 * @example
 * ```ts
 * const doc = generateAsyncAPI({ title: "Chat", version: "1.0.0" }, [{
 *   template: "/ws/{room}", name: "chat", parameters: () => [], inbound: ChatIn, outbound: ChatEvent,
 *   security: { requirements: [], schemes: {} }, onInvalidMessage: "error",
 * }]);
 * doc.channels.ws_room.address; // "/ws/{room}"
 * ```
 */
export function generateAsyncAPI(info: AsyncAPIInfo, channels: readonly AsyncAPIChannelInput[]): AsyncAPIDocument {
  const registry = new SchemaRegistry({ separateInputOutputSchemas: true });
  const doc: AsyncAPIDocument = {
    asyncapi: "3.0.0",
    info: { title: info.title, version: info.version, ...(info.description ? { description: info.description } : {}) },
    ...(info.servers ? { servers: info.servers } : {}),
    defaultContentType: "application/json",
    channels: {},
    operations: {},
    components: { schemas: {}, messages: {}, securitySchemes: {} },
  };
  const taken = new Set<string>();
  const base = baseUrlOf(info);
  let errorFrameUsed = false;
  for (const input of channels) {
    const id = channelId(input.template, taken);
    const params = input.parameters(registry);
    const messages: Record<string, unknown> = {};
    const channel: Record<string, unknown> = { address: input.template };
    if (input.summary) channel.title = input.summary;
    if (input.description) channel.description = input.description;
    const pathParams = params.filter((p) => p.in === "path");
    if (pathParams.length > 0) channel.parameters = Object.fromEntries(pathParams.map((p) => [p.name, channelParameter(p)]));
    const query = objectOf(params.filter((p) => p.in === "query"));
    const headers = objectOf(params.filter((p) => p.in === "header"));
    channel.bindings = { ws: { method: "GET", ...(query ? { query } : {}), ...(headers ? { headers } : {}), bindingVersion: "0.1.0" } };
    if (input.inbound) messages[`${id}_in`] = { name: `${input.name}In`, title: "Client message", payload: registry.use(input.inbound, "input", `${input.name}In`) };
    if (input.outbound) messages[`${id}_out`] = { name: `${input.name}Out`, title: "Server message", payload: registry.use(input.outbound, "output", `${input.name}Out`) };
    const reportsErrors = input.inbound !== undefined && input.onInvalidMessage === "error";
    if (reportsErrors) {
      errorFrameUsed = true;
      messages[`${id}_error`] = { $ref: "#/components/messages/ValidationErrorFrame" };
    }
    channel.messages = messages;
    doc.channels[id] = channel;

    const security = input.security.requirements.flatMap((req) => Object.keys(req).map((name) => ({ $ref: `#/components/securitySchemes/${name}` })));
    for (const [name, scheme] of Object.entries(input.security.schemes)) doc.components.securitySchemes[name] = securityScheme(scheme as Record<string, any>, base);
    const common = {
      channel: { $ref: `#/channels/${id}` },
      ...(input.tags && input.tags.length > 0 ? { tags: input.tags.map((name) => ({ name })) } : {}),
      ...(security.length > 0 ? { security } : {}),
    };
    const ref = (key: string) => ({ $ref: `#/channels/${id}/messages/${key}` });
    doc.operations[`receive_${id}`] = {
      action: "receive",
      summary: `Messages clients send on ${input.template}`,
      ...common,
      ...(input.inbound ? { messages: [ref(`${id}_in`)] } : {}),
    };
    const sent = [...(input.outbound ? [ref(`${id}_out`)] : []), ...(reportsErrors ? [ref(`${id}_error`)] : [])];
    doc.operations[`send_${id}`] = {
      action: "send",
      summary: `Messages the server sends on ${input.template}`,
      ...common,
      ...(sent.length > 0 ? { messages: sent } : {}),
    };
  }
  if (errorFrameUsed) {
    doc.components.messages.ValidationErrorFrame = {
      name: "ValidationErrorFrame",
      title: "Invalid message",
      summary: "Sent when a client message does not parse or validate; the connection stays open.",
      payload: { $ref: "#/components/schemas/ValidationErrorFrame" },
    };
  }
  const schemas = registry.finish(doc);
  if (errorFrameUsed) schemas.ValidationErrorFrame = ERROR_FRAME;
  doc.components.schemas = schemas;
  for (const key of ["schemas", "messages", "securitySchemes"]) if (Object.keys(doc.components[key]).length === 0) delete doc.components[key];
  return doc;
}
