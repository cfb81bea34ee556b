import { getTranslations } from "next-intl/server";
import { ActivityFeed } from "@/components/activity/activity-feed";
import { PageHeader } from "@/components/empty-state";

export async function generateMetadata() {
  const t = await getTranslations("activity");
  return { title: t("title") };
}

export default async function ActivityPage() {
  const t = await getTranslations("activity");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <ActivityFeed />
    </>
  );
}
