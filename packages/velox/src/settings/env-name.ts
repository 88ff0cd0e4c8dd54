/**
 * Turns a settings field name into its environment variable name: upper snake case, with an
 * optional prefix. Both `jwt_secret` and `jwtSecret` read `JWT_SECRET`.
 *
 * @example
 * ```ts
 * envName("jwt_secret");          // "JWT_SECRET"
 * envName("jwtSecret", "APP_");   // "APP_JWT_SECRET"
 * ```
 */
export function envName(field: string, prefix = ""): string {
  const snake = field
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toUpperCase();
  return prefix + snake;
}
