"use client";

import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useId, useTransition } from "react";
import { setLocale } from "@/app/actions/locale";
import { locales } from "@/i18n/config";

/** A native select: keyboard- and screen-reader-friendly without any custom widget code. */
export function LanguageSwitcher() {
  const t = useTranslations("common");
  const locale = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const id = useId();

  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="sr-only">
        {t("language")}
      </label>
      <svg aria-hidden="true" viewBox="0 0 20 20" className="hidden size-4 shrink-0 text-zinc-500 sm:block dark:text-zinc-400" fill="currentColor">
        <path
          fillRule="evenodd"
          d="M10 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm5.9 7h-2.95a12.6 12.6 0 0 0-1.3-4.83A6.01 6.01 0 0 1 15.9 9ZM10 4.04c.74.95 1.7 2.77 1.94 4.96H8.06C8.3 6.81 9.26 4.99 10 4.04ZM8.35 4.17A12.6 12.6 0 0 0 7.05 9H4.1a6.01 6.01 0 0 1 4.25-4.83ZM4.1 11h2.95c.14 1.83.62 3.5 1.3 4.83A6.01 6.01 0 0 1 4.1 11Zm3.96 0h3.88c-.24 2.19-1.2 4.01-1.94 4.96-.74-.95-1.7-2.77-1.94-4.96Zm3.59 4.83c.68-1.33 1.16-3 1.3-4.83h2.95a6.01 6.01 0 0 1-4.25 4.83Z"
          clipRule="evenodd"
        />
      </svg>
      <select
        id={id}
        value={locale}
        disabled={pending}
        aria-busy={pending}
        onChange={(event) => {
          const next = event.target.value;
          startTransition(async () => {
            await setLocale(next);
            router.refresh();
          });
        }}
        className="rounded-md border border-zinc-300 bg-white py-1 pr-7 pl-2 text-sm text-zinc-900 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      >
        {locales.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`languageNames.${l}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
