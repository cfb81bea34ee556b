"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { signUpWithPassword, type SignUpField, type SignUpFormState } from "@/app/actions/auth";
import { FormAlert, SubmitButton, TextField } from "@/components/form";

/**
 * A server-action form: it posts even before the page's JavaScript has loaded (a plain
 * onSubmit form would fall back to a GET and put the password in the URL).
 */
export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const t = useTranslations("auth");
  const [state, action, pending] = useActionState<SignUpFormState | undefined, FormData>(signUpWithPassword, undefined);

  const invalid = new Set(state?.invalidFields ?? []);
  // Field messages come from the catalogue (one rule per field), so they read in the page's language.
  const fieldError = (field: SignUpField): string | null => (invalid.has(field) ? t(`errors.${field}`) : null);

  let formMessage: string | null = null;
  if (state?.error === "fix_fields") formMessage = t("errors.fixFields");
  else if (state?.error === "unavailable") formMessage = t("errors.signUpUnavailable");
  else if (state?.error) formMessage = t("errors.generic");

  // Re-mount the fields after each attempt so they show the echoed values.
  const attempt = `${state?.values?.name ?? ""}|${state?.values?.email ?? ""}|${state?.error ?? ""}`;

  return (
    <form action={action} className="flex flex-col gap-4" noValidate aria-busy={pending}>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {formMessage ? <FormAlert>{formMessage}</FormAlert> : null}
      <TextField
        key={`name-${attempt}`}
        id="sign-up-name"
        name="name"
        label={t("signUp.name")}
        autoComplete="name"
        maxLength={100}
        defaultValue={state?.values?.name ?? ""}
        error={fieldError("name")}
      />
      <TextField
        key={`email-${attempt}`}
        id="sign-up-email"
        name="email"
        type="email"
        label={t("email")}
        autoComplete="email"
        inputMode="email"
        required
        defaultValue={state?.values?.email ?? ""}
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
      <SubmitButton pending={pending} label={t("signUp.submit")} pendingLabel={t("signUp.submitting")} />
    </form>
  );
}
