/** One missing or invalid setting. Never carries the value, which may be a secret. */
export interface SettingsIssue {
  /** The environment variable to fix, e.g. `APP_JWT_SECRET`. */
  readonly variable: string;
  /** The settings field it feeds, e.g. `jwt_secret`; empty for a whole-object rule. */
  readonly field: string;
  /** What is wrong, e.g. `missing` or `expected an integer`. */
  readonly problem: string;
}

/**
 * Thrown once by `defineSettings` with every missing or invalid variable, so a deploy is fixed in
 * one round instead of one variable per restart.
 *
 * @example
 * ```ts
 * try {
 *   defineSettings({ port: z.int() }, { env: { PORT: "eighty" } });
 * } catch (error) {
 *   if (error instanceof SettingsError) console.error(error.message);
 *   // Invalid settings (1 problem):
 *   //   - PORT: expected an integer
 * }
 * ```
 */
export class SettingsError extends Error {
  override readonly name = "SettingsError";
  readonly issues: readonly SettingsIssue[];

  constructor(issues: readonly SettingsIssue[]) {
    const count = `${issues.length} problem${issues.length === 1 ? "" : "s"}`;
    const lines = issues.map((issue) => `  - ${issue.variable}: ${issue.problem}`);
    super(`Invalid settings (${count}):\n${lines.join("\n")}`);
    this.issues = issues;
  }
}
