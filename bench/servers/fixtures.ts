/** The data every contract server returns, so that shapes match byte for byte. */

export const HELLO = { message: "Hello, World!" } as const;

export const ID_MAX = 2 ** 31 - 1;
export const FIELDS_PATTERN = /^[A-Za-z_,]+$/;
export const SKU_PATTERN = /^[A-Z]{3}-\d{5}$/;
export const CATEGORIES = ["tools", "toys", "books", "food"] as const;

export interface User {
  id: number;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  age: number;
  active: boolean;
  role: string;
  createdAt: string;
  /** `null` when the request has none: FastAPI's `fields: Optional[str] = None` always sends the key. */
  fields: string | null;
}

export function makeUser(id: number, fields: string | undefined): User {
  return {
    id,
    username: `user${id}`,
    email: `user${id}@example.com`,
    firstName: "Ada",
    lastName: "Lovelace",
    age: 36,
    active: true,
    role: "admin",
    createdAt: "2024-01-01T00:00:00.000Z",
    fields: fields ?? null,
  };
}
