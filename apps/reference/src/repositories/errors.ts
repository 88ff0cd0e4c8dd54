/**
 * A unique field (username or email) is already taken. The web layer answers 400, as FastAPI's
 * tutorial app does.
 *
 * @example
 * ```ts
 * try { await users.create(input); }
 * catch (error) { if (error instanceof DuplicateError) throw new HTTPException(400, `${error.field} already registered`); }
 * ```
 */
export class DuplicateError extends Error {
  override readonly name = "DuplicateError";
  constructor(readonly field: string) {
    super(`${field} already exists`);
  }
}
