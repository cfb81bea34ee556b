import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { EmptyState, PageHeader } from "./empty-state";

type Section = "keys" | "usage" | "tokens" | "docs" | "activity";

/** A portal page whose feature is not built yet: its title, what it will hold, an empty state. */
export async function PlaceholderPage({ section, icon, children }: { section: Section; icon: ReactNode; children?: ReactNode }) {
  const t = await getTranslations();
  return (
    <>
      <PageHeader title={t(`pages.${section}.title`)} description={t(`pages.${section}.description`)} />
      {children}
      <EmptyState
        title={t(`pages.${section}.emptyTitle`)}
        body={t(`pages.${section}.emptyBody`)}
        badge={t("common.comingSoon")}
        icon={icon}
      />
    </>
  );
}

export async function placeholderMetadata(section: Section) {
  const t = await getTranslations("pages");
  return { title: t(`${section}.title`) };
}
