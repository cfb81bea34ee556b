import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import { originOf } from "@/components/docs/reader";
import { PageHeader } from "@/components/empty-state";
import { UsageDashboard } from "@/components/usage/usage-dashboard";

export async function generateMetadata() {
  const t = await getTranslations("usage");
  return { title: t("title") };
}

export default async function UsagePage() {
  const [t, requestHeaders] = await Promise.all([getTranslations("usage"), headers()]);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <UsageDashboard origin={originOf(requestHeaders)} />
    </>
  );
}
