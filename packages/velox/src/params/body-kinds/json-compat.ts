import { valueRequestBody } from "../../openapi/request-body.ts";
import { checkJsonContentType, parseJsonBody } from "../json-body.ts";
import type { BodyKind } from "./body-kind.ts";

function announcesJson(contentType: string | undefined): boolean {
  try {
    checkJsonContentType(contentType);
    return true;
  } catch {
    return false;
  }
}

/**
 * JSON bodies as FastAPI reads them (`compat: "fastapi"`): a body whose Content-Type is not JSON
 * is not refused with 415 but handed to validation as its text, which a model refuses with 422
 * `model_attributes_type` at `["body"]` echoing that text (several body parameters: each one
 * `missing`) — FastAPI's exact answer. The text is still never parsed as JSON, so the CSRF guard
 * of the strict kind holds: a cross-site form cannot reach the handler.
 *
 * @example
 * ```ts
 * app.post("/items", { body: ItemIn, bodyKind: fastapiJsonBody }, ({ body }) => body);
 * ```
 */
export const fastapiJsonBody: BodyKind = {
  name: "json",
  provides: "value",
  mediaTypes: ["application/json"],
  checkContentType: () => {},
  decode(bytes, ctx) {
    if (bytes.length === 0) return;
    ctx._rawBody = announcesJson(ctx.req.headers["content-type"]) ? parseJsonBody(bytes) : bytes.toString("utf8");
  },
  document: (inputs) => valueRequestBody("application/json", inputs),
};
