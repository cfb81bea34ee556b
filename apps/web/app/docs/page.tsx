import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import { auth } from "@/auth";
import { DocsReference } from "@/components/docs/docs-reference";
import { loadDocsReader, originOf } from "@/components/docs/reader";
import { PageHeader } from "@/components/empty-state";
import { SiteHeader } from "@/components/site-header";
import { SkipLink } from "@/components/skip-link";

export async function generateMetadata() {
  const t = await getTranslations("docs");
  return { title: t("title") };
}

/** The API reference for anyone; signed in, the examples carry the start of the reader's key. */
export default async function PublicDocsPage() {
  const [t, session, requestHeaders] = await Promise.all([getTranslations("docs"), auth(), headers()]);
  const reader = await loadDocsReader(session, requestHeaders);
  return (
    <>
      <SkipLink />
      <SiteHeader />
      <main id="main" className="mx-auto flex max-w-5xl flex-col gap-6 px-4 py-6 pb-12 sm:px-6 md:py-10">
        <PageHeader title={t("title")} description={t("description")} />
        <DocsReference baseUrl={originOf(requestHeaders)} reader={reader} keysHref="/dashboard/keys" />
      </main>
    </>
  );
}
