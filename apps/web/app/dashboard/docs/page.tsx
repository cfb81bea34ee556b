import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import { auth } from "@/auth";
import { DocsReference } from "@/components/docs/docs-reference";
import { loadDocsReader, originOf } from "@/components/docs/reader";
import { PageHeader } from "@/components/empty-state";

export async function generateMetadata() {
  const t = await getTranslations("docs");
  return { title: t("title") };
}

export default async function DashboardDocsPage() {
  const [t, session, requestHeaders] = await Promise.all([getTranslations("docs"), auth(), headers()]);
  const reader = await loadDocsReader(session, requestHeaders);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <DocsReference baseUrl={originOf(requestHeaders)} reader={reader} keysHref="/dashboard/keys" />
    </>
  );
}
