/** The OAuth2 scopes the reference app knows. */
export const SCOPES = {
  read: "Read your items and profile.",
  write: "Create, change and delete your items.",
  admin: "Manage every user.",
} as const;

export type Scope = keyof typeof SCOPES;

/**
 * The scopes a token gets: those requested that the user holds; all the user holds when none
 * are requested (the OAuth2 password form's `scope` field is optional).
 *
 * @example
 * ```ts
 * grantScopes(["read", "admin"], ["read", "write"]); // ["read"]
 * grantScopes([], ["read", "write"]);                // ["read", "write"]
 * ```
 */
export function grantScopes(requested: readonly string[], held: readonly string[]): string[] {
  if (requested.length === 0) return [...held];
  const allowed = new Set(held);
  return [...new Set(requested)].filter((scope) => allowed.has(scope));
}

/**
 * Whether every required scope is present.
 *
 * @example
 * ```ts
 * hasScopes(claims.scopes, ["write"]); // false for a read-only token
 * ```
 */
export function hasScopes(granted: readonly string[], required: readonly string[]): boolean {
  const have = new Set(granted);
  return required.every((scope) => have.has(scope));
}
