import { registerJsonSchemaAdapter } from "../json-schema.ts";
import { valibotJsonSchema } from "./valibot.ts";

/**
 * Registers the built-in JSON Schema adapters for libraries without Standard JSON Schema (Valibot).
 * Idempotent; loaded by the error mapping module, which every validator loads.
 *
 * @example
 * ```ts
 * registerBuiltinAdapters();
 * toJsonSchema(v.object({ id: v.number() }), "input"); // { type: "object", ... }
 * ```
 */
export function registerBuiltinAdapters(): void {
  registerJsonSchemaAdapter("valibot", valibotJsonSchema);
}
