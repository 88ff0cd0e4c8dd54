import { VeloxError } from "../errors.ts";

/** A FastAPI-style path template analysed once at registration. */
export interface PathTemplate {
  /** The template as written: `/files/{file_path:path}`. */
  template: string;
  /** The find-my-way pattern: `/files/*`. */
  pattern: string;
  /** Parameter names in order. */
  params: string[];
  /** The name of the trailing `{name:path}` parameter, read from find-my-way's `*`. */
  wildcard: string | null;
}

const PARAM = /\{([^{}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses `/items/{id}` and `/files/{file_path:path}` into a router pattern.
 *
 * @example
 * ```ts
 * parsePathTemplate("/users/{id}/files/{rest:path}", "GET");
 * // { pattern: "/users/:id/files/*", params: ["id", "rest"], wildcard: "rest", ... }
 * ```
 */
export function parsePathTemplate(template: string, where: string): PathTemplate {
  if (typeof template !== "string" || !template.startsWith("/")) {
    throw new VeloxError("VX_INVALID_PATH", `${where}: a path must start with "/", got ${JSON.stringify(template)}`);
  }
  if (/[?#\s]/.test(template)) {
    throw new VeloxError("VX_INVALID_PATH", `${where}: a path may not contain "?", "#" or white space`);
  }
  const params: string[] = [];
  let wildcard: string | null = null;
  let pattern = "";
  let last = 0;
  for (const match of template.matchAll(PARAM)) {
    const [name = "", converter] = match[1]!.split(":");
    if (!NAME.test(name)) throw new VeloxError("VX_INVALID_PATH", `${where}: "{${match[1]}}" is not a valid parameter name`);
    if (params.includes(name)) throw new VeloxError("VX_INVALID_PATH", `${where}: parameter "${name}" appears twice`);
    if (wildcard) throw new VeloxError("VX_INVALID_PATH", `${where}: "{${wildcard}:path}" must be the last part of the path`);
    pattern += template.slice(last, match.index).replace(/:/g, "::");
    if (converter === "path") {
      wildcard = name;
      pattern += "*";
    } else if (converter === undefined || ["str", "int", "float", "uuid"].includes(converter)) {
      pattern += `:${name}`;
    } else {
      throw new VeloxError("VX_INVALID_PATH", `${where}: unknown converter ":${converter}" (only ":path" changes routing)`);
    }
    params.push(name);
    last = match.index + match[0].length;
  }
  const rest = template.slice(last);
  if (rest.includes("{") || rest.includes("}") || pattern.includes("{") || pattern.includes("}")) {
    throw new VeloxError("VX_INVALID_PATH", `${where}: unbalanced "{" or "}" in ${template}`);
  }
  if (wildcard && rest.length > 0) {
    throw new VeloxError("VX_INVALID_PATH", `${where}: "{${wildcard}:path}" must be the last part of the path`);
  }
  pattern += rest.replace(/:/g, "::");
  return { template, pattern, params, wildcard };
}
