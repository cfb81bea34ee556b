import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { auth } from "@/auth";
import { LanguageSwitcher } from "./language-switcher";
import { Logo } from "./logo";

/** Header of the public pages: home, sign-in and sign-up. */
export async function SiteHeader() {
  const [t, session] = await Promise.all([getTranslations("common"), auth()]);
  return (
    <header className="border-b border-zinc-200 dark:border-zinc-800">
      <div className="mx-auto flex max-w-5xl items-center justify-between gap-3 px-4 py-3 sm:px-6">
        <Logo />
        <nav aria-label={t("appName")} className="flex items-center gap-3 sm:gap-4">
          <LanguageSwitcher />
          <Link href="/docs" className="rounded-md px-1 py-1 text-sm whitespace-nowrap text-zinc-700 hover:text-zinc-950 dark:text-zinc-300 dark:hover:text-white">
            {t("docs")}
          </Link>
          {session?.user ? (
            <Link href="/dashboard/keys" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium whitespace-nowrap text-white hover:bg-brand-700">
              {t("dashboard")}
            </Link>
          ) : (
            <Link href="/sign-in" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium whitespace-nowrap text-white hover:bg-brand-700">
              {t("signIn")}
            </Link>
          )}
        </nav>
      </div>
    </header>
  );
}
