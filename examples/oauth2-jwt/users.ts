import { z } from "zod";

/** What clients see of a user: no password hash, ever (the response model filters it out). */
export const User = z
  .object({
    username: z.string(),
    email: z.string().optional(),
    full_name: z.string().optional(),
    disabled: z.boolean().optional(),
  })
  .meta({ id: "User" });

export type User = z.infer<typeof User>;

/** A stored user: the public fields plus the Argon2id hash. */
export interface UserInDB extends User {
  hashed_password: string;
}

/** FastAPI's tutorial database: johndoe and the disabled alice, both with the password "secret". */
export function fakeUsersDb(): Map<string, UserInDB> {
  const secretHash = "$argon2id$v=19$m=19456,t=2,p=1$M0ady+0LxrW/2wfgHhxn4g$1WYcTiuWSPX/4KkMJcaRZJum3I7VzgiGo2exxK264es";
  return new Map([
    ["johndoe", { username: "johndoe", full_name: "John Doe", email: "johndoe@example.com", hashed_password: secretHash, disabled: false }],
    ["alice", { username: "alice", full_name: "Alice Wonderson", email: "alice@example.com", hashed_password: secretHash, disabled: true }],
  ]);
}
