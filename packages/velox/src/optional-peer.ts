import { VeloxError } from "./errors.ts";

/**
 * Imports an optional peer dependency on first use. When the package is not installed, this
 * rejects with a `VeloxError` (`VX_MISSING_PEER`) naming the feature that needs it and the command
 * that installs it, instead of Node's bare "Cannot find package". Pass the import as a function
 * with a literal specifier so TypeScript and bundlers see it.
 *
 * @example
 * ```ts
 * const { inject } = await importOptionalPeer("light-my-request", "TestClient (velox/testing)", () => import("light-my-request"), "--save-dev");
 * ```
 */
export async function importOptionalPeer<T>(pkg: string, feature: string, load: () => Promise<T>, saveFlag = ""): Promise<T> {
  try {
    return await load();
  } catch (err) {
    const { code, message } = err as { code?: unknown; message?: unknown };
    const missing = (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && typeof message === "string" && message.includes(`'${pkg}'`);
    if (!missing) throw err;
    const install = ["npm install", saveFlag, pkg].filter(Boolean).join(" ");
    const error = new VeloxError("VX_MISSING_PEER", `${feature} needs the package "${pkg}", an optional peer dependency of velox that is not installed: ${install}`);
    error.cause = err;
    throw error;
  }
}
