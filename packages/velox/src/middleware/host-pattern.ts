import { VeloxError } from "../errors.ts";

const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;
const IPV6 = /^\[[0-9a-f:.]+(?:%[0-9a-z._~-]+)?\]$/;

/**
 * The host name of a `Host` header value, lower case, without the port and a trailing dot:
 * `Example.COM:8080` → `example.com`, `[::1]:80` → `[::1]`. Null for anything that is not a
 * plain host name or IP literal (`evil.com/`, `a@b`, spaces, an empty value).
 *
 * @example
 * ```ts
 * hostOf("api.example.com:443"); // "api.example.com"
 * hostOf("example.com@evil");    // null
 * ```
 */
export function hostOf(header: string | undefined): string | null {
  if (header === undefined || header === "") return null;
  let host = header.toLowerCase();
  if (host.startsWith("[")) {
    const close = host.indexOf("]");
    if (close === -1) return null;
    const rest = host.slice(close + 1);
    if (rest !== "" && !/^:\d{1,5}$/.test(rest)) return null;
    host = host.slice(0, close + 1);
    return IPV6.test(host) ? host : null;
  }
  const colon = host.indexOf(":");
  if (colon !== -1) {
    if (!/^\d{1,5}$/.test(host.slice(colon + 1))) return null;
    host = host.slice(0, colon);
  }
  if (host.endsWith(".")) host = host.slice(0, -1);
  return HOSTNAME.test(host) ? host : null;
}

/** A compiled list of allowed hosts: exact names, `*.example.com` (subdomains only) or `*`. */
export interface HostMatcher {
  (host: string): boolean;
  readonly any: boolean;
  /** Whether this exact name is listed (not matched by a wildcard). */
  listed(host: string): boolean;
}

/**
 * Compiles allowed host patterns, checking each at registration.
 *
 * @example
 * ```ts
 * const allowed = compileHosts(["example.com", "*.example.com"]);
 * allowed("api.example.com"); // true
 * allowed("example.com.evil"); // false
 * ```
 */
export function compileHosts(patterns: readonly string[], owner: string): HostMatcher {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  let any = false;
  for (const raw of patterns) {
    const pattern = raw.trim().toLowerCase();
    if (pattern === "*") {
      any = true;
      continue;
    }
    if (pattern.startsWith("*.")) {
      if (hostOf(pattern.slice(2)) !== pattern.slice(2)) throw new VeloxError("VX_INVALID_OPTION", `${owner}: ${JSON.stringify(raw)} is not a host pattern (name, *.name or *)`);
      suffixes.push(pattern.slice(1));
      continue;
    }
    if (hostOf(pattern) !== pattern) throw new VeloxError("VX_INVALID_OPTION", `${owner}: ${JSON.stringify(raw)} is not a host name (no scheme, port or path)`);
    exact.add(pattern);
  }
  const matcher = (host: string): boolean => any || exact.has(host) || suffixes.some((s) => host.endsWith(s) && host.length > s.length);
  return Object.assign(matcher, { any, listed: (host: string) => exact.has(host) });
}

/**
 * The port of a `Host` header value, or undefined: `example.com:8080` → `"8080"`, `[::1]` → undefined.
 *
 * @example
 * ```ts
 * portOf("[::1]:8000"); // "8000"
 * ```
 */
export function portOf(header: string): string | undefined {
  return /:(\d{1,5})$/.exec(header.slice(header.lastIndexOf("]") + 1))?.[1];
}
