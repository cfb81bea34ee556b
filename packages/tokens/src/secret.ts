import { hkdfSync } from "node:crypto";
import type { Env } from "@twx/config";

/**
 * The HS256 key of user access tokens.
 *
 * - `JWT_SECRET` when set (at least 32 characters, checked by @twx/config);
 * - otherwise 32 bytes derived with HKDF-SHA-256 from `AUTH_SECRET`, under a label of their own so
 *   the token key never equals the session-cookie key even though both come from one secret;
 * - otherwise, outside production only, a key derived from a fixed development string. Every
 *   process on a laptop (the app, the operator CLI, the tests) then agrees on the key without any
 *   set-up. Tokens signed with it are worthless anywhere else; production refuses to start
 *   without AUTH_SECRET (@twx/config), so this branch is never reached there.
 */
export type SecretSource = "JWT_SECRET" | "AUTH_SECRET" | "development-default";

export const DEVELOPMENT_SECRET = "twinexpert-development-only-jwt-secret (not for production)";

const HKDF_SALT = "twinexpert";
const HKDF_INFO = "twx user access token v1 (HS256)";

export function deriveKey(secret: string): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", secret, HKDF_SALT, HKDF_INFO, 32));
}

export function resolveJwtSecret(
  env: Pick<Env, "JWT_SECRET" | "AUTH_SECRET" | "NODE_ENV">,
): { key: Uint8Array; source: SecretSource } {
  if (env.JWT_SECRET) return { key: new TextEncoder().encode(env.JWT_SECRET), source: "JWT_SECRET" };
  if (env.AUTH_SECRET) return { key: deriveKey(env.AUTH_SECRET), source: "AUTH_SECRET" };
  if (env.NODE_ENV === "production") {
    throw new Error("JWT_SECRET or AUTH_SECRET must be set in production to sign user access tokens.");
  }
  return { key: deriveKey(DEVELOPMENT_SECRET), source: "development-default" };
}
