import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { auth, isGitHubSignInEnabled } from "@/auth";
import { safeCallbackPath } from "@/lib/safe-redirect";
import { GitHubButton } from "../github-button";
import { SignUpForm } from "./sign-up-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth.signUp");
  return { title: t("title") };
}

interface Props {
  searchParams: Promise<{ callbackUrl?: string | string[] }>;
}

export default async function SignUpPage({ searchParams }: Props) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(Array.isArray(params.callbackUrl) ? params.callbackUrl[0] : params.callbackUrl);
  const session = await auth();
  if (session?.user) redirect(callbackUrl);

  const t = await getTranslations("auth.signUp");
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("subtitle")}</p>
      </div>
      <SignUpForm callbackUrl={callbackUrl} />
      {isGitHubSignInEnabled() ? <GitHubButton callbackUrl={callbackUrl} /> : null}
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {t("haveAccount")}{" "}
        <Link href="/sign-in" className="font-medium text-brand-700 underline underline-offset-4 dark:text-brand-100">
          {t("signInInstead")}
        </Link>
      </p>
    </div>
  );
}
