import { depends } from "../di/dependency.ts";
import { optionalFormField, requiredFormField } from "./form-field.ts";

/**
 * What the OAuth2 password request form dependencies yield.
 *
 * @example
 * ```ts
 * async function login(request: OAuth2PasswordRequest) {
 *   return authenticate(request.username, request.password, request.scopes);
 * }
 * ```
 */
export interface OAuth2PasswordRequest {
  /** `"password"` when sent (the only accepted value); always set by the strict form. */
  grantType: string | undefined;
  username: string;
  password: string;
  /** The `scope` field split on whitespace (`"me items"` → `["me", "items"]`). */
  scopes: string[];
  clientId: string | undefined;
  clientSecret: string | undefined;
}

const fields = {
  username: requiredFormField({ title: "Username" }),
  password: requiredFormField({ title: "Password", format: "password" }),
  scope: optionalFormField({ title: "Scope" }, ""),
  client_id: optionalFormField({ title: "Client Id" }),
  client_secret: optionalFormField({ title: "Client Secret", format: "password" }),
};

interface RawForm {
  grant_type?: string | undefined;
  username: string;
  password: string;
  scope: string;
  client_id?: string | undefined;
  client_secret?: string | undefined;
}

function toRequest(form: RawForm): OAuth2PasswordRequest {
  return {
    grantType: form.grant_type,
    username: form.username,
    password: form.password,
    scopes: form.scope.split(/\s+/).filter((s) => s !== ""),
    clientId: form.client_id,
    clientSecret: form.client_secret,
  };
}

/**
 * The OAuth2 password request form (RFC 6749 §4.3.2) as a dependency, read from an
 * `application/x-www-form-urlencoded` body: `username` and `password` required, `scope`
 * space-separated into `scopes`, `grant_type` optional but `"password"` when sent, `client_id`
 * and `client_secret` optional. Invalid forms answer 422 with FastAPI's errors (`loc: ["body", ...]`).
 *
 * @example
 * ```ts
 * app.post("/token", { deps: { login: OAuth2PasswordRequestForm } }, async ({ login }) => {
 *   const user = await authenticate(login.username, login.password);
 *   if (!user) throw new HTTPException(401, "Incorrect username or password", { "WWW-Authenticate": "Bearer" });
 *   return { access_token: await issueToken(user, login.scopes), token_type: "bearer" };
 * });
 * ```
 */
export const OAuth2PasswordRequestForm = depends(
  { form: { grant_type: optionalFormField({ title: "Grant Type", pattern: "^password$" }), ...fields } },
  function OAuth2PasswordRequestForm({ form }): OAuth2PasswordRequest {
    return toRequest(form);
  },
);

/**
 * {@link OAuth2PasswordRequestForm} with `grant_type=password` required, as the OAuth2 spec
 * demands (FastAPI's `OAuth2PasswordRequestFormStrict`).
 *
 * @example
 * ```ts
 * app.post("/token", { deps: { login: OAuth2PasswordRequestFormStrict } }, ({ login }) => authenticate(login.username, login.password));
 * ```
 */
export const OAuth2PasswordRequestFormStrict = depends(
  { form: { grant_type: requiredFormField({ title: "Grant Type", pattern: "^password$" }), ...fields } },
  function OAuth2PasswordRequestFormStrict({ form }): OAuth2PasswordRequest & { grantType: string } {
    return toRequest(form) as OAuth2PasswordRequest & { grantType: string };
  },
);
