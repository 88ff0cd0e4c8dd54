import { VeloxError } from "../errors.ts";

/** Context fields a dependency name may not shadow. */
const RESERVED = new Set([
  "req", "res", "app", "path", "query", "headers", "cookies", "body", "form", "route", "result", "requestId",
  "response", "background", "state", "method", "url", "securityScopes", "log", "signal",
]);

/** Throws when a dependency would be injected under a name the context already uses. */
export function checkDependencyName(name: string, where: string): void {
  if (RESERVED.has(name) || name.startsWith("_")) {
    throw new VeloxError("VX_DEP_NAME_RESERVED", `${where}: "${name}" is a reserved context name; choose another name for this dependency`);
  }
}
