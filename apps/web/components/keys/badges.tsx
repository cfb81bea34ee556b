"use client";

import { useTranslations } from "next-intl";
import type { KeyScope, KeyStatus } from "./types";

const statusStyles: Record<KeyStatus, string> = {
  active: "bg-emerald-50 text-emerald-800 ring-emerald-600/25 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/30",
  expiring: "bg-amber-50 text-amber-900 ring-amber-600/30 dark:bg-amber-500/10 dark:text-amber-200 dark:ring-amber-400/30",
  expired: "bg-zinc-100 text-zinc-700 ring-zinc-500/25 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-500/30",
  revoked: "bg-red-50 text-red-800 ring-red-600/25 dark:bg-red-500/10 dark:text-red-300 dark:ring-red-400/30",
};

const dotStyles: Record<KeyStatus, string> = {
  active: "bg-emerald-500",
  expiring: "bg-amber-500",
  expired: "bg-zinc-400",
  revoked: "bg-red-500",
};

export function StatusBadge({ status }: { status: KeyStatus }) {
  const t = useTranslations("keys.status");
  return (
    <span className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${statusStyles[status]}`}>
      <span aria-hidden="true" className={`size-1.5 rounded-full ${dotStyles[status]}`} />
      {t(status)}
    </span>
  );
}

export function ScopeBadge({ scope }: { scope: KeyScope }) {
  const t = useTranslations("scopes");
  return (
    <span
      className={`inline-flex items-center rounded-md px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${
        scope === "full_access"
          ? "bg-violet-50 text-violet-800 ring-violet-600/25 dark:bg-violet-500/10 dark:text-violet-200 dark:ring-violet-400/30"
          : "bg-sky-50 text-sky-800 ring-sky-600/25 dark:bg-sky-500/10 dark:text-sky-200 dark:ring-sky-400/30"
      }`}
    >
      {t(`${scope}.title`)}
    </span>
  );
}
