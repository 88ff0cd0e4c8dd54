/**
 * Where a parameter comes from. `form` fields report their location as `body` in errors and are
 * documented in the request body, like FastAPI's `Form()`.
 */
export type ParamLocation = "path" | "query" | "header" | "cookie" | "form";

/** The keys of a route's (or dependency's) options that declare parameters of a location. */
export type SpecKey = "path" | "query" | "headers" | "cookies" | "form";

/** One row of the location table. */
export interface LocationRow {
  location: ParamLocation;
  /** The option that declares it (`headers: {...}`); the validated values land under the same key of the context. */
  specKey: SpecKey;
  /** `loc[0]` of its validation errors. */
  errorLabel: "path" | "query" | "header" | "cookie" | "body";
}

/**
 * The one table of parameter locations, in FastAPI's documentation order. Analysis, extraction
 * and OpenAPI all read it; a new location is a new row here.
 *
 * @example
 * ```ts
 * for (const row of LOCATIONS) if (spec[row.specKey] !== undefined) compileSource(row.location, spec[row.specKey], true);
 * ```
 */
export const LOCATIONS: readonly LocationRow[] = [
  { location: "path", specKey: "path", errorLabel: "path" },
  { location: "query", specKey: "query", errorLabel: "query" },
  { location: "header", specKey: "headers", errorLabel: "header" },
  { location: "cookie", specKey: "cookies", errorLabel: "cookie" },
  { location: "form", specKey: "form", errorLabel: "body" },
];

const BY_LOCATION = new Map(LOCATIONS.map((row) => [row.location, row]));

/**
 * The table row of a location.
 *
 * @example
 * ```ts
 * locationRow("header").specKey; // "headers"
 * ```
 */
export function locationRow(location: ParamLocation): LocationRow {
  return BY_LOCATION.get(location)!;
}
