"use server";

import { TRPCError } from "@trpc/server";
import { createCaller, createTRPCContext } from "@twx/api";
import { AccountError } from "@twx/accounts";
import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { z, ZodError } from "zod";
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

export type SignUpField = "name" | "email" | "password";

export interface SignUpFormState {
  error?: "fix_fields" | "unavailable" | "sign_in_failed" | "generic";
  /** Fields that broke a rule; the form words the message in the page's language. */
  invalidFields?: SignUpField[];
  /** Echoed back so a failed attempt keeps what was typed (never the password). */
  values?: { name: string; email: string };
}

const SIGN_UP_FIELDS: readonly SignUpField[] = ["name", "email", "password"];

function invalidFieldsOf(error: TRPCError): SignUpField[] {
  const cause = error.cause;
  const fieldErrors =
    cause instanceof ZodError
      ? z.flattenError(cause).fieldErrors
      : cause instanceof AccountError
        ? cause.fieldErrors
        : {};
  return SIGN_UP_FIELDS.filter((field) => (fieldErrors as Record<string, unknown[] | undefined>)[field]?.length);
}

/**
 * Creates the account through the `account.signUp` procedure (called in-process, so the form
 * works before the page's JavaScript has loaded), then signs in with the same credentials.
 */
export async function signUpWithPassword(_previous: SignUpFormState | undefined, formData: FormData): Promise<SignUpFormState> {
  const input = {
    name: String(formData.get("name") ?? ""),
    email: String(formData.get("email") ?? ""),
    password: String(formData.get("password") ?? ""),
  };
  const values = { name: input.name.slice(0, 200), email: input.email.slice(0, 254) };
  const caller = createCaller(createTRPCContext({ headers: await headers(), session: null }));
  try {
    await caller.account.signUp(input);
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const invalidFields = invalidFieldsOf(error);
    if (invalidFields.length > 0) return { error: "fix_fields", invalidFields, values };
    if (error.code === "BAD_REQUEST") return { error: "unavailable", values };
    console.error("sign-up failed", error.cause ?? error);
    return { error: "generic", values };
  }
  const signedIn = await signInWithPassword(undefined, formData);
  // Only reached when no redirect happened: the account exists but the sign-in did not go through.
  return { error: signedIn.error ? "sign_in_failed" : "generic", values };
}

export async function signInWithGitHub(formData: FormData): Promise<void> {
  await signIn("github", { redirectTo: safeCallbackPath(formData.get("callbackUrl")) });
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}
