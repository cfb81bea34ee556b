import { getTranslations } from "next-intl/server";
import { KeysManager } from "@/components/keys/keys-manager";

export async function generateMetadata() {
  const t = await getTranslations("pages");
  return { title: t("keys.title") };
}

export default function KeysPage() {
  return <KeysManager />;
}
