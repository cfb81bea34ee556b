import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { auth, isGitHubSignInEnabled } from "@/auth";
import { safeCallbackPath } from "@/lib/safe-redirect";
import { GitHubButton } from "../github-button";
import { SignInForm } from "./sign-in-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth.signIn");
  return { title: t("title") };
}

interface Props {
  searchParams: Promise<{ callbackUrl?: string | string[]; error?: string | string[] }>;
}

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(Array.isArray(params.callbackUrl) ? params.callbackUrl[0] : params.callbackUrl);
  const session = await auth();
  if (session?.user) redirect(callbackUrl);

  const t = await getTranslations("auth");
  // Auth.js sends failed OAuth (and API-route credential) sign-ins back here with ?error=.
  const authError = typeof params.error === "string" ? params.error : undefined;
  const initialError = authError ? (authError === "CredentialsSignin" ? "invalid_credentials" : "oauth") : undefined;
  const signUpHref = callbackUrl === safeCallbackPath(undefined) ? "/sign-up" : `/sign-up?callbackUrl=${encodeURIComponent(callbackUrl)}`;

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">{t("signIn.title")}</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("signIn.subtitle")}</p>
      </div>
      <SignInForm callbackUrl={callbackUrl} initialError={initialError} />
      {isGitHubSignInEnabled() ? <GitHubButton callbackUrl={callbackUrl} /> : null}
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {t("signIn.noAccount")}{" "}
        <Link href={signUpHref} className="font-medium text-brand-700 underline underline-offset-4 dark:text-brand-100">
          {t("signIn.createOne")}
        </Link>
      </p>
    </div>
  );
}
