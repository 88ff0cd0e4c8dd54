import { VeloxError } from "../errors.ts";
import type { ResponseSpec } from "../route-types.ts";
import type { AnySchema, ParamSpec } from "../schema/types.ts";

/**
 * A request your API sends to its users' servers, as documented under `webhooks`.
 *
 * @example
 * ```ts
 * const config: WebhookConfig = { body: Subscription, summary: "A user subscribed" };
 * webhooks.post("new-subscription", config);
 * ```
 */
export interface WebhookConfig {
  /** The JSON body your API sends. */
  body?: AnySchema;
  /** Form fields your API sends instead of JSON. */
  form?: ParamSpec;
  /** Headers your API sends (`x_signature` is documented as `x-signature`). */
  headers?: ParamSpec;
  query?: ParamSpec;
  /** What the receiver should answer with (documents the success response). */
  response?: AnySchema;
  /** The status the receiver should answer with (default 200). */
  status?: number;
  responses?: { readonly [status: number]: AnySchema | ResponseSpec };
  responseDescription?: string;
  summary?: string;
  description?: string;
  operationId?: string;
  /** Name for the default operationId and summary ("New Subscription"). */
  name?: string;
  tags?: readonly string[];
  deprecated?: boolean;
  /** Deep-merged into the generated operation. */
  openapiExtra?: Record<string, unknown>;
}

/**
 * The HTTP methods a webhook can be documented with.
 *
 * @example
 * ```ts
 * webhooks.add("PATCH" satisfies WebhookMethod, "subscription-changed", { body: Change });
 * ```
 */
export type WebhookMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * One registered webhook.
 *
 * @example
 * ```ts
 * for (const { method, name } of webhooks.all) console.log(method, name); // POST new-subscription
 * ```
 */
export interface WebhookRecord {
  name: string;
  method: WebhookMethod;
  config: WebhookConfig;
}

/**
 * Webhooks your API sends, for the OpenAPI document's `webhooks` section (FastAPI's
 * `app.webhooks`). Pass the collection as `openapi.webhooks`; it is read when the document is
 * generated, so webhooks may be added after the app is created.
 *
 * @example
 * ```ts
 * const webhooks = new Webhooks();
 * webhooks.post("new-subscription", { body: Subscription, summary: "A user subscribed" });
 * const app = new Velox({ openapi: { webhooks } });
 * ```
 */
export class Webhooks {
  private readonly records: WebhookRecord[] = [];

  /** Every webhook, in registration order. */
  get all(): readonly WebhookRecord[] {
    return this.records;
  }

  /**
   * Documents a webhook sent with `method` under `name`.
   *
   * @example
   * ```ts
   * webhooks.add("PUT", "subscription-renewed", { body: Subscription });
   * ```
   */
  add(method: WebhookMethod, name: string, config: WebhookConfig = {}): this {
    if (typeof name !== "string" || name === "") throw new VeloxError("VX_INVALID_OPTION", "a webhook needs a non-empty name");
    if (!["GET", "POST", "PUT", "PATCH", "DELETE"].includes(method)) {
      throw new VeloxError("VX_INVALID_OPTION", `webhook ${name}: unsupported method ${JSON.stringify(method)}`);
    }
    if (this.records.some((r) => r.name === name && r.method === method)) {
      throw new VeloxError("VX_DUPLICATE_ROUTE", `webhook ${method} ${name} is already registered`);
    }
    if ((config.body || config.form) && method === "GET") {
      throw new VeloxError("VX_BODY_NOT_ALLOWED", `webhook GET ${name}: GET requests have no body`);
    }
    if (config.body && config.form) throw new VeloxError("VX_BODY_CONFLICT", `webhook ${method} ${name}: either a JSON body or form fields, not both`);
    this.records.push({ name, method, config });
    return this;
  }

  /** Documents a webhook sent as `POST`. @example webhooks.post("new-subscription", { body: Subscription }) */
  post(name: string, config?: WebhookConfig): this {
    return this.add("POST", name, config);
  }

  /** Documents a webhook sent as `PUT`. @example webhooks.put("subscription", { body: Subscription }) */
  put(name: string, config?: WebhookConfig): this {
    return this.add("PUT", name, config);
  }

  /** Documents a webhook sent as `PATCH`. @example webhooks.patch("subscription", { body: Change }) */
  patch(name: string, config?: WebhookConfig): this {
    return this.add("PATCH", name, config);
  }

  /** Documents a webhook sent as `DELETE`. @example webhooks.delete("subscription", {}) */
  delete(name: string, config?: WebhookConfig): this {
    return this.add("DELETE", name, config);
  }

  /** Documents a webhook sent as `GET`. @example webhooks.get("ping", { query: { nonce: z.string() } }) */
  get(name: string, config?: WebhookConfig): this {
    return this.add("GET", name, config);
  }
}
