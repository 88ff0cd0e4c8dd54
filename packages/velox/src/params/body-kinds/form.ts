import { ProtocolError } from "../../errors.ts";
import { fieldsRequestBody } from "../../openapi/request-body.ts";
import { defaultFormLimits, isUrlEncoded, parseUrlEncoded } from "../form-body.ts";
import type { BodyKind } from "./body-kind.ts";

/**
 * URL-encoded forms (`application/x-www-form-urlencoded`): the kind `form` parameters select by
 * default, within the form limits (1000 fields, 1 MiB per field).
 *
 * @example
 * ```ts
 * app.post("/login", { form: { username: z.string(), password: z.string() } }, ({ form }) => login(form));
 * ```
 */
export const formBody: BodyKind = {
  name: "form",
  provides: "fields",
  mediaTypes: ["application/x-www-form-urlencoded"],
  checkContentType(contentType) {
    if (!isUrlEncoded(contentType)) throw new ProtocolError(415, "Content-Type must be application/x-www-form-urlencoded");
  },
  decode(bytes, ctx) {
    ctx._rawForm = parseUrlEncoded(bytes, defaultFormLimits);
  },
  document: (inputs) => fieldsRequestBody("application/x-www-form-urlencoded", inputs),
};
