/**
 * The secret that signs and encrypts session tokens.
 *
 * Production must configure `AUTH_SECRET` (`@twx/config` refuses to start without it). In
 * development and tests a missing secret is replaced by one derived from a fixed label and the
 * checkout's location: stable across restarts, so sessions survive a reload of `next dev`, and
 * useless anywhere else.
 */
import { createHash } from "node:crypto";

export interface AuthSecretEnv {
  NODE_ENV: "development" | "test" | "production";
  AUTH_SECRET?: string | undefined;
}

export function resolveAuthSecret(env: AuthSecretEnv, cwd: string = process.cwd()): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  if (env.NODE_ENV === "production") {
    throw new Error("AUTH_SECRET is required in production.");
  }
  return createHash("sha256").update(`twinexpert-dev-only-auth-secret:${cwd}`).digest("base64url");
}
