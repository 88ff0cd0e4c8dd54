/**
 * The HTTP header a parameter name reads, as FastAPI converts it: `x_token` and `xToken` both read
 * `x-token`. Header names are case-insensitive, so the result is lower case.
 *
 * @example
 * ```ts
 * headerName("user_agent"); // "user-agent"
 * ```
 */
export function headerName(name: string): string {
  return name.replace(/_/g, "-").replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}
