"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { signInWithPassword, type SignInFormState } from "@/app/actions/auth";
import { FormAlert, SubmitButton, TextField } from "@/components/form";

interface Props {
  callbackUrl: string;
  /** An error Auth.js reported through the URL (a failed GitHub sign-in). */
  initialError?: "invalid_credentials" | "oauth";
}

export function SignInForm({ callbackUrl, initialError }: Props) {
  const t = useTranslations("auth");
  const [state, action, pending] = useActionState<SignInFormState | undefined, FormData>(signInWithPassword, undefined);

  const error = state ? state.error : initialError;
  let message: string | null = null;
  if (error === "invalid_credentials") message = t("errors.invalidCredentials");
  else if (error === "rate_limited") message = t("errors.rateLimited", { minutes: Math.max(1, Math.ceil((state?.retryAfterSeconds ?? 60) / 60)) });
  else if (error === "oauth") message = t("errors.oauth");
  else if (error) message = t("errors.generic");

  return (
    <form action={action} className="flex flex-col gap-4" aria-describedby={message ? "sign-in-error" : undefined} noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {message ? (
        <div id="sign-in-error">
          <FormAlert>{message}</FormAlert>
        </div>
      ) : null}
      <TextField
        id="sign-in-email"
        name="email"
        type="email"
        label={t("email")}
        autoComplete="email"
        inputMode="email"
        required
        defaultValue={state?.email ?? ""}
        // Re-mount after each attempt so the echoed email is what the field shows.
        key={`email-${state?.email ?? ""}`}
      />
      <TextField id="sign-in-password" name="password" type="password" label={t("password")} autoComplete="current-password" required />
      <SubmitButton pending={pending} label={t("signIn.submit")} pendingLabel={t("signIn.submitting")} />
    </form>
  );
}
