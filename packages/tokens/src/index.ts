import { getEnv } from "@twx/config";
import { getDb } from "@twx/db";
import { resolveJwtSecret } from "./secret";
import { createTokenService, type TokenService } from "./tokens";

export {
  createTokenService,
  parseTtl,
  DEFAULT_TTL_SECONDS,
  MAX_TTL_SECONDS,
  MIN_TTL_SECONDS,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  TOKEN_TYPE,
  TokenTtlError,
  UnknownUserError,
  type IssuedToken,
  type IssueTokenInput,
  type TokenRejection,
  type TokenService,
  type TokenServiceOptions,
  type VerifyTokenResult,
} from "./tokens";
export { deriveKey, resolveJwtSecret, DEVELOPMENT_SECRET, type SecretSource } from "./secret";

let service: TokenService | undefined;

/** The process-wide token service over `getDb()` and the key from the environment. */
export function getTokenService(): TokenService {
  service ??= createTokenService({ db: getDb(), key: resolveJwtSecret(getEnv()).key });
  return service;
}
