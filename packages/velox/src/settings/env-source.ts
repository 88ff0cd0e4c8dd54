import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseEnv } from "node:util";

/** Where settings read their raw strings from. */
export interface EnvSourceOptions {
  /** The variables to read; `process.env` when omitted. */
  env?: Record<string, string | undefined>;
  /**
   * A dotenv file to read beneath the variables (a real variable always wins over the file).
   * Relative paths resolve from `process.cwd()`. Defaults to `".env"`; a missing file is ignored;
   * `false` reads no file.
   */
  envFile?: string | false;
}

/**
 * Merges a dotenv file (when present) beneath the environment, parsing it with Node's own
 * `util.parseEnv` so no dotenv package is needed.
 *
 * @example
 * ```ts
 * const env = readEnvSource({ envFile: ".env.local" });
 * env.DATABASE_URL; // from the real environment if set there, else from .env.local
 * ```
 */
export function readEnvSource(options: EnvSourceOptions = {}): Record<string, string | undefined> {
  const env = options.env ?? process.env;
  const file = options.envFile === undefined ? ".env" : options.envFile;
  if (file === false) return { ...env };
  const fromFile = readDotenv(resolve(process.cwd(), file));
  return { ...fromFile, ...definedOnly(env) };
}

function readDotenv(path: string): Record<string, string | undefined> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  return parseEnv(text);
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}
