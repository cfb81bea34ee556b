import Link from "next/link";
import { getTranslations } from "next-intl/server";

export async function Logo({ href = "/" }: { href?: string }) {
  const t = await getTranslations("common");
  return (
    <Link href={href} className="flex items-center gap-2 rounded-md font-semibold tracking-tight">
      <span aria-hidden="true" className="grid size-7 place-items-center rounded-md bg-brand-600 font-mono text-xs text-white">
        TX
      </span>
      {/* Hidden visually on phones, never from the accessible name (it is the link's text). */}
      <span className="sr-only sm:not-sr-only">{t("appName")}</span>
    </Link>
  );
}
