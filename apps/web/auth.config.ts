/**
 * Auth.js settings that need neither the database nor the providers: enough to read a session
 * from its cookie. `proxy.ts` builds on this alone; `auth.ts` adds providers, the adapter and
 * the audit trail.
 */
import { resolveAuthSecret } from "@twx/accounts";
import { getEnv } from "@twx/config";
import { CredentialsSignin, type NextAuthConfig } from "next-auth";

/** Sessions last a week; a developer portal that manages secrets should not stay signed in for a month. */
const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

/** Read at request time, never at import: `next build` runs without production secrets. */
export function baseAuthConfig(): NextAuthConfig {
  const env = getEnv();
  return {
    secret: resolveAuthSecret(env),
    // A deployment behind its own trusted proxy may rely on the Host header; otherwise
    // Auth.js's default (AUTH_URL set, or not production) applies.
    ...(env.TRUST_PROXY ? { trustHost: true } : {}),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [],
    logger: {
      error(error) {
        // A wrong password is an everyday event, answered on the form; not an error to page anyone for.
        if (error instanceof CredentialsSignin) return;
        console.error(`[auth][error] ${error.name}: ${error.message}`, error.cause ?? "");
      },
    },
    callbacks: {
      jwt({ token, user }) {
        // `user` is present only at sign-in: it is the database row (adapter or authorize()).
        if (user?.id) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
  };
}
