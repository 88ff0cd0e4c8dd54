import { isUtf8 } from "node:buffer";
import sjson from "secure-json-parse";
import { ProtocolError } from "../errors.ts";
import { RequestValidationError } from "../http-exception.ts";
import { pythonJsonError } from "../schema/errors/json-decode.ts";
import { pydantic } from "../schema/errors/pydantic.ts";

/** The deepest object/array nesting a JSON body may have. */
export const MAX_JSON_DEPTH = 64;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/**
 * True when a Content-Type announces UTF-8 JSON (`application/json`, `application/*+json`).
 * Anything else — `text/plain`, `application/jsonx`, tabs in the type — is not JSON: parsing it
 * would let a cross-site form post reach a JSON endpoint.
 */
export function checkJsonContentType(contentType: string | undefined): void {
  // The two spellings nearly every client sends skip the parsing below.
  if (contentType === "application/json" || contentType === "application/json; charset=utf-8") return;
  if (contentType === undefined) throw new ProtocolError(415, "Content-Type must be application/json");
  const semi = contentType.indexOf(";");
  const type = (semi === -1 ? contentType : contentType.slice(0, semi)).trim();
  if (!JSON_TYPE.test(type) || /[\t]/.test(contentType.slice(0, semi === -1 ? undefined : semi))) {
    throw new ProtocolError(415, "Content-Type must be application/json");
  }
  if (semi !== -1) {
    const charset = /charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType.slice(semi));
    if (charset && charset[1]!.toLowerCase() !== "utf-8" && charset[1]!.toLowerCase() !== "utf8") {
      throw new ProtocolError(415, "Only charset=utf-8 is supported for JSON bodies");
    }
  }
}

function exceedsDepth(text: string, max: number): boolean {
  let brackets = 0;
  for (let i = text.indexOf("{"); i !== -1 && brackets <= max; i = text.indexOf("{", i + 1)) brackets++;
  for (let i = text.indexOf("["); i !== -1 && brackets <= max; i = text.indexOf("[", i + 1)) brackets++;
  if (brackets <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/**
 * Decodes a JSON request body with Velox's guards: UTF-8 only (400), nesting up to
 * {@link MAX_JSON_DEPTH} (400), no `__proto__`/`constructor.prototype` keys (400), and FastAPI's
 * 422 `json_invalid` for syntax errors.
 */
export function parseJsonBody(bytes: Buffer): unknown {
  if (!isUtf8(bytes)) throw new ProtocolError(400, "Request body is not valid UTF-8");
  // A UTF-8 byte order mark is allowed, as Python's json.loads(bytes) allows it.
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = bytes.toString("utf8", bom ? 3 : 0);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (exceedsDepth(text, MAX_JSON_DEPTH)) throw new ProtocolError(400, `JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`);
    const problem = pythonJsonError(text);
    throw new RequestValidationError([pydantic.jsonInvalid(["body", problem.pos], problem.msg)]);
  }
  if (text.length > MAX_JSON_DEPTH * 2 && exceedsDepth(text, MAX_JSON_DEPTH)) {
    throw new ProtocolError(400, `JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  // A `\u` escape can spell either key (`"\u005f_proto__"`), so escapes also trigger the scan.
  if (text.includes("__proto__") || text.includes("constructor") || text.includes("\\u")) {
    try {
      sjson.scan(value as Record<string, unknown>, { protoAction: "error", constructorAction: "error" });
    } catch {
      throw new ProtocolError(400, "JSON body contains a forbidden __proto__ or constructor.prototype key");
    }
  }
  return value;
}
