"use client";

import { useTranslations } from "next-intl";
import { useState, useTransition, type FormEvent } from "react";
import { signInWithPassword } from "@/app/actions/auth";
import { FormAlert, SubmitButton, TextField } from "@/components/form";
import { trpcErrorDetails } from "@/lib/trpc/errors";
import { trpc } from "@/lib/trpc/react";

type Field = "name" | "email" | "password";

/**
 * Creates the account through tRPC (`account.signUp`), then signs in with the same credentials
 * through the sign-in server action, which sets the session cookie and redirects.
 */
export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const t = useTranslations("auth");
  const signUp = trpc.account.signUp.useMutation();
  const [signingIn, startSignIn] = useTransition();
  const [signInFailed, setSignInFailed] = useState(false);

  const details = trpcErrorDetails(signUp.error);
  const fieldErrors = details?.fieldErrors ?? {};
  // Field messages come from the catalogue (one rule per field), so they read in the page's language.
  const fieldError = (field: Field): string | null => (fieldErrors[field]?.length ? t(`errors.${field}`) : null);

  let formMessage: string | null = null;
  if (signInFailed) formMessage = t("errors.generic");
  else if (details?.fieldErrors) formMessage = t("errors.fixFields");
  else if (details?.httpStatus === 400) formMessage = t("errors.signUpUnavailable");
  else if (signUp.error) formMessage = t("errors.generic");

  const pending = signUp.isPending || signingIn;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setSignInFailed(false);
    const form = new FormData(event.currentTarget);
    const input = {
      name: String(form.get("name") ?? ""),
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    };
    try {
      await signUp.mutateAsync(input);
    } catch {
      return; // Shown from signUp.error.
    }
    startSignIn(async () => {
      const result = await signInWithPassword(undefined, form);
      // Reaching here means no redirect happened: the account exists but sign-in did not go through.
      if (result?.error) setSignInFailed(true);
    });
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate aria-busy={pending}>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {formMessage ? <FormAlert>{formMessage}</FormAlert> : null}
      <TextField id="sign-up-name" name="name" label={t("signUp.name")} autoComplete="name" maxLength={100} error={fieldError("name")} />
      <TextField
        id="sign-up-email"
        name="email"
        type="email"
        label={t("email")}
        autoComplete="email"
        inputMode="email"
        required
        error={fieldError("email")}
      />
      <TextField
        id="sign-up-password"
        name="password"
        type="password"
        label={t("password")}
        autoComplete="new-password"
        required
        hint={t("signUp.passwordHint")}
        error={fieldError("password")}
      />
      <SubmitButton
        pending={pending}
        label={t("signUp.submit")}
        pendingLabel={signingIn ? t("signUp.signingIn") : t("signUp.submitting")}
      />
    </form>
  );
}
