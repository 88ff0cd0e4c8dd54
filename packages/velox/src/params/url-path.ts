import { VeloxError } from "../errors.ts";
import type { PathTemplate } from "./path-template.ts";

/** Path parameter values for {@link buildPath}: strings, numbers, bigints or booleans. */
export type PathValues = Readonly<Record<string, string | number | bigint | boolean>>;

/**
 * Fills a route's path template with values, percent-encoding each (a `{name:path}` value keeps
 * its slashes), as Starlette's `url_path_for`. A missing or unknown parameter, or an empty value,
 * throws `VX_URL_PARAMS` naming the route — a link that cannot match its own route is a bug.
 *
 * @example
 * ```ts
 * buildPath(parsePathTemplate("/items/{id}/files/{rest:path}", "GET"), { id: 5, rest: "a b/c.txt" }, "read_file");
 * // "/items/5/files/a%20b/c.txt"
 * ```
 */
export function buildPath(template: PathTemplate, values: PathValues, name: string): string {
  const given = Object.keys(values);
  const missing = template.params.filter((p) => !Object.hasOwn(values, p));
  const unknown = given.filter((p) => !template.params.includes(p));
  if (missing.length > 0 || unknown.length > 0) {
    const parts = [missing.length > 0 ? `missing ${missing.join(", ")}` : "", unknown.length > 0 ? `unknown ${unknown.join(", ")}` : ""].filter(Boolean);
    throw new VeloxError("VX_URL_PARAMS", `urlFor("${name}"): ${template.template} needs {${template.params.join("}, {")}}; ${parts.join("; ")}`);
  }
  return template.template.replace(/\{([^{}:]+)(?::[a-z]+)?\}/g, (_match, param: string) => {
    const raw = values[param];
    const text = typeof raw === "string" ? raw : String(raw);
    if (text === "") throw new VeloxError("VX_URL_PARAMS", `urlFor("${name}"): {${param}} may not be empty`);
    if (param === template.wildcard) return text.split("/").map(encodeURIComponent).join("/");
    return encodeURIComponent(text);
  });
}
