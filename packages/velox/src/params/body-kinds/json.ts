import { valueRequestBody } from "../../openapi/request-body.ts";
import { checkJsonContentType, parseJsonBody } from "../json-body.ts";
import type { BodyKind } from "./body-kind.ts";

/**
 * JSON bodies (`application/json`, `application/*+json`, UTF-8 only): the kind a `body` schema
 * selects by default. A non-JSON Content-Type is a 415 before any byte is read (a CSRF guard); an
 * empty body validates as missing; syntax errors are FastAPI's 422 `json_invalid`.
 *
 * @example
 * ```ts
 * app.post("/items", { body: ItemIn, bodyKind: jsonBody }, ({ body }) => body); // same as without bodyKind
 * ```
 */
export const jsonBody: BodyKind = {
  name: "json",
  provides: "value",
  mediaTypes: ["application/json"],
  checkContentType: (contentType) => checkJsonContentType(contentType),
  decode(bytes, ctx) {
    if (bytes.length > 0) ctx._rawBody = parseJsonBody(bytes);
  },
  document: (inputs) => valueRequestBody("application/json", inputs),
};
