"use server";

import { AuthError } from "next-auth";
import { signIn, signOut, SignInRateLimited } from "@/auth";
import { safeCallbackPath } from "@/lib/safe-redirect";

export type SignInErrorCode = "invalid_credentials" | "rate_limited" | "generic";

export interface SignInFormState {
  error?: SignInErrorCode;
  retryAfterSeconds?: number;
  /** Echoed back so the field keeps what was typed after a failed attempt (never the password). */
  email?: string;
}

/** Email/password sign-in; on success Auth.js sets the session cookie and this redirects. */
export async function signInWithPassword(_previous: SignInFormState | undefined, formData: FormData): Promise<SignInFormState> {
  const email = String(formData.get("email") ?? "").slice(0, 254);
  const password = String(formData.get("password") ?? "");
  const redirectTo = safeCallbackPath(formData.get("callbackUrl"));
  try {
    await signIn("credentials", { email, password, redirectTo });
  } catch (error) {
    if (error instanceof SignInRateLimited) {
      return { error: "rate_limited", retryAfterSeconds: error.retryAfterSeconds, email };
    }
    if (error instanceof AuthError) {
      // Unknown email, wrong password, OAuth-only account: one message for all.
      return { error: error.type === "CredentialsSignin" ? "invalid_credentials" : "generic", email };
    }
    // The redirect after a successful sign-in is thrown too; let Next.js follow it.
    throw error;
  }
  return {};
}

export async function signInWithGitHub(formData: FormData): Promise<void> {
  await signIn("github", { redirectTo: safeCallbackPath(formData.get("callbackUrl")) });
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}
