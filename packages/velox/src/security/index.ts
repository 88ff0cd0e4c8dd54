export { parseAuthorization, notAuthenticated, NOT_AUTHENTICATED, INVALID_CREDENTIALS, type AuthorizationParts } from "./authorization.ts";
export { unauthorized, schemeInfo, type SchemeOptions, type SchemeResult, type SchemeInfo } from "./scheme.ts";
export {
  OAuth2PasswordBearer,
  OAuth2AuthorizationCodeBearer,
  OAuth2,
  type OAuth2Scopes,
  type OAuth2PasswordBearerOptions,
  type OAuth2AuthorizationCodeBearerOptions,
  type OAuth2Options,
} from "./oauth2.ts";
export { OAuth2PasswordRequestForm, OAuth2PasswordRequestFormStrict, type OAuth2PasswordRequest } from "./password-form.ts";
export { requiredFormField, optionalFormField, type FormFieldOptions } from "./form-field.ts";
export {
  HTTPBearer,
  HTTPBasic,
  HTTPDigest,
  type HTTPAuthorizationCredentials,
  type HTTPBasicCredentials,
  type HTTPBearerOptions,
  type HTTPBasicOptions,
} from "./http.ts";
export { APIKeyHeader, APIKeyQuery, APIKeyCookie, type APIKeyOptions } from "./api-key.ts";
export { OpenIdConnect, type OpenIdConnectOptions } from "./open-id-connect.ts";
export { bearerChallenge, requireScopes } from "./scopes.ts";
export { safeCompare } from "./safe-compare.ts";
