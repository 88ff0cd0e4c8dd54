/**
 * `velox/settings`: typed, validated settings from the environment and a `.env` file.
 *
 * @module
 */
export { defineSettings, type InferSettings, type SettingsOptions, type SettingsShape } from "./define-settings.ts";
export { SettingsError, type SettingsIssue } from "./settings-error.ts";
export { envName } from "./env-name.ts";
export type { EnvSourceOptions } from "./env-source.ts";
