import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/empty-state";
import { TokenIssuer } from "@/components/tokens/token-issuer";

export async function generateMetadata() {
  const t = await getTranslations("pages");
  return { title: t("tokens.title") };
}

export default async function TokensPage() {
  const t = await getTranslations("pages.tokens");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <TokenIssuer />
    </>
  );
}
