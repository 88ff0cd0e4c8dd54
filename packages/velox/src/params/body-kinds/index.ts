export type { BodyKind, BodyReadOptions, BodyDocInputs } from "./body-kind.ts";
export { jsonBody } from "./json.ts";
export { formBody } from "./form.ts";
export { fastapiJsonBody } from "./json-compat.ts";
export { formDataBody, multipartBody } from "./multipart.ts";
