/**
 * Sign-in for the portal: email and password (Credentials) always, GitHub when configured.
 * Sessions are JWTs in an encrypted cookie; users and linked GitHub accounts live in Postgres.
 */
import { PrismaAdapter } from "@auth/prisma-adapter";
import {
  authenticateWithPassword,
  checkSignInAllowed,
  normalizeEmail,
  recordSignIn,
} from "@twx/accounts";
import { getEnv } from "@twx/config";
import { getDb } from "@twx/db";
import { createRateLimiterFromEnv, LIMIT_DEFINITIONS, type RateLimiter } from "@twx/ratelimit";
import NextAuth, { CredentialsSignin } from "next-auth";
import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { headers } from "next/headers";
import { baseAuthConfig } from "./auth.config";
import { clientIpFromHeaders } from "./lib/client-ip";

/** Refused by the sign-in rate limit; the form tells the user how long to wait. */
export class SignInRateLimited extends CredentialsSignin {
  override code = "rate_limited";
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}

let signInRateLimiter: RateLimiter | undefined;

/**
 * The `sign-in` limit of `@twx/ratelimit` (20 attempts per 15 minutes, per account and per client
 * address, shared across instances through Redis when configured). `SIGN_IN_RATE_LIMIT` raises
 * the count where many sign-ins come from one address on purpose (the end-to-end test server).
 */
function signInLimiter() {
  if (!signInRateLimiter) {
    const tokens = getEnv().SIGN_IN_RATE_LIMIT;
    signInRateLimiter = createRateLimiterFromEnv(
      tokens ? { limits: { "sign-in": { ...LIMIT_DEFINITIONS["sign-in"], tokens } } } : {},
    );
  }
  return signInRateLimiter.forKind("sign-in");
}

export function isGitHubSignInEnabled(): boolean {
  const env = getEnv();
  return Boolean(env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET);
}

function providers(): Provider[] {
  const env = getEnv();
  const list: Provider[] = [
    Credentials({
      id: "credentials",
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        const email = typeof credentials.email === "string" ? credentials.email : "";
        const password = typeof credentials.password === "string" ? credentials.password : "";
        const decision = await checkSignInAllowed(signInLimiter(), {
          email,
          ip: clientIpFromHeaders(request.headers, env.TRUST_PROXY),
        });
        if (!decision.allowed) throw new SignInRateLimited(decision.retryAfterSeconds);
        // null: Auth.js answers with one generic CredentialsSignin, whatever went wrong.
        return authenticateWithPassword(getDb(), { email, password });
      },
    }),
  ];
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) {
    list.push(
      GitHub({
        clientId: env.AUTH_GITHUB_ID,
        clientSecret: env.AUTH_GITHUB_SECRET,
        profile(profile) {
          return {
            id: String(profile.id),
            name: profile.name ?? profile.login,
            // Same normalisation as sign-up, so the unique email index sees one account.
            email: profile.email ? normalizeEmail(profile.email) : null,
            image: profile.avatar_url,
          };
        },
      }),
    );
  }
  return list;
}

/** Request details for the audit trail; absent outside a request (never at build time). */
async function requestDetails(): Promise<{ ip: string | null; userAgent: string | null }> {
  try {
    const h = await headers();
    return { ip: clientIpFromHeaders(h, getEnv().TRUST_PROXY), userAgent: h.get("user-agent") };
  } catch {
    return { ip: null, userAgent: null };
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const base = baseAuthConfig();
  const withGitHub = isGitHubSignInEnabled();
  return {
    ...base,
    // Users and their linked GitHub accounts. Credentials sign-in does not go through the
    // adapter (its users are created by @twx/accounts); sessions stay JWTs either way.
    ...(withGitHub ? { adapter: PrismaAdapter(getDb()) } : {}),
    providers: providers(),
    events: {
      async signIn({ user, account }) {
        if (!user.id) return;
        try {
          await recordSignIn(getDb(), {
            userId: user.id,
            method: account?.provider ?? "credentials",
            ...(await requestDetails()),
          });
        } catch (error) {
          // A lost audit row must not lock the user out; it is logged for the operator.
          console.error("audit: could not record user.signed_in", error);
        }
      },
    },
  };
});
