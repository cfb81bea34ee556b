import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { SiteHeader } from "@/components/site-header";
import { SkipLink } from "@/components/skip-link";

const scopes = [
  { scope: "read_only", grants: ["listTwins", "readConversations", "messageHistory"] },
  { scope: "full_access", grants: ["allOfReadOnly", "createConversations", "sendMessages"] },
] as const;

const code = (chunks: React.ReactNode) => <code className="font-mono text-base">{chunks}</code>;

export default async function HomePage() {
  const t = await getTranslations();
  return (
    <>
      <SkipLink />
      <SiteHeader />
      <main id="main" className="mx-auto flex max-w-4xl flex-col gap-12 px-4 py-12 sm:px-6 sm:py-16">
        <header className="flex flex-col gap-4">
          <p className="font-mono text-sm text-brand-600 dark:text-brand-100">{t("home.kicker")}</p>
          <h1 className="text-4xl font-semibold tracking-tight sm:text-5xl">{t("home.title")}</h1>
          <p className="max-w-2xl text-lg text-zinc-600 dark:text-zinc-400">{t.rich("home.intro", { code })}</p>
          <div className="flex flex-wrap gap-3 pt-2">
            <Link href="/sign-up" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
              {t("home.getStarted")}
            </Link>
            <Link
              href="/sign-in"
              className="rounded-md border border-zinc-300 px-4 py-2 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-900"
            >
              {t("common.signIn")}
            </Link>
            <Link
              href="/docs"
              className="rounded-md py-2 text-sm font-medium text-brand-700 underline-offset-4 hover:underline sm:px-4 dark:text-brand-100"
            >
              {t("home.readDocs")} →
            </Link>
          </div>
        </header>

        <section aria-labelledby="scopes-heading" className="flex flex-col gap-4">
          <h2 id="scopes-heading" className="text-xl font-semibold">
            {t("home.scopesHeading")}
          </h2>
          <ul className="grid gap-4 sm:grid-cols-2">
            {scopes.map((s) => (
              <li key={s.scope} className="rounded-xl border border-zinc-200 p-5 dark:border-zinc-800">
                <div className="flex items-baseline justify-between gap-2">
                  <h3 className="font-medium">{t(`scopes.${s.scope}.title`)}</h3>
                  <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-900">{s.scope}</code>
                </div>
                <ul className="mt-3 list-inside list-disc text-sm text-zinc-600 dark:text-zinc-400">
                  {s.grants.map((g) => (
                    <li key={g}>{t(`scopes.${s.scope}.grants.${g}` as never)}</li>
                  ))}
                </ul>
                <p className="mt-3 text-sm font-medium">{t(`scopes.${s.scope}.limit`)}</p>
              </li>
            ))}
          </ul>
        </section>

        <section
          aria-labelledby="security-heading"
          className="rounded-xl border border-amber-300 bg-amber-50 p-5 dark:border-amber-700 dark:bg-amber-950/40"
        >
          <h2 id="security-heading" className="font-semibold text-amber-900 dark:text-amber-200">
            {t("home.securityTitle")}
          </h2>
          <p className="mt-1 text-sm text-amber-900 dark:text-amber-200">{t("home.securityBody")}</p>
        </section>
      </main>
    </>
  );
}
