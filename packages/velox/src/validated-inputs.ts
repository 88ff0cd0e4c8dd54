/**
 * The validated inputs of one dependant — what a handler or a dependency function reads by
 * location. The request context and each dependency's call context both carry them.
 *
 * @example
 * ```ts
 * app.get("/items", { query: { q: z.string() } }, ({ query }) => query.q); // query: ValidatedInputs["query"], typed
 * ```
 */
export class ValidatedInputs {
  /** Validated path parameters. */
  path: unknown = undefined;
  /** Validated query parameters. */
  query: unknown = undefined;
  /** Validated header parameters (not the raw headers: see `req.headers`). */
  headers: unknown = undefined;
  /** Validated cookies. */
  cookies: unknown = undefined;
  /** The validated body. */
  body: unknown = undefined;
  /** Validated form fields. */
  form: unknown = undefined;
}
