import type { OriginPolicy } from "./options.ts";

function hostOf(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === "http:" || url.protocol === "https:" ? url.host : null;
  } catch {
    return null;
  }
}

/**
 * Compiles an origin policy into a check of one handshake's `Origin` and `Host` headers. A request
 * without `Origin` (not a browser) passes: the policy guards against cross-site WebSocket
 * hijacking, where a page on another site opens a socket with the user's cookies.
 * `"same-origin"` compares the origin's host and port with `Host` (behind a proxy that rewrites
 * `Host`, list the public origins instead).
 *
 * @example
 * ```ts
 * const allowed = compileOriginCheck(["https://chat.example.com"]);
 * allowed("https://evil.example", "chat.example.com"); // false
 * ```
 */
export function compileOriginCheck(policy: OriginPolicy): (origin: string | undefined, host: string | undefined) => boolean {
  if (policy === "*") return () => true;
  if (typeof policy === "function") return (origin, host) => origin === undefined || policy(origin, host);
  if (policy === "same-origin") {
    return (origin, host) => {
      if (origin === undefined) return true;
      const h = hostOf(origin);
      return h !== null && host !== undefined && h === host.toLowerCase();
    };
  }
  const allowed = new Set(policy.map((o) => o.toLowerCase().replace(/\/$/, "")));
  return (origin) => origin === undefined || allowed.has(origin.toLowerCase());
}
