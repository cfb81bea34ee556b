import Link from "next/link";
import { getTranslations } from "next-intl/server";

export async function Logo({ href = "/" }: { href?: string }) {
  const t = await getTranslations("common");
  return (
    <Link href={href} className="flex items-center gap-2 rounded-md font-semibold tracking-tight" aria-label={t("home")}>
      <span aria-hidden="true" className="grid size-7 place-items-center rounded-md bg-brand-600 font-mono text-xs text-white">
        TX
      </span>
      <span className="hidden sm:inline">{t("appName")}</span>
    </Link>
  );
}
