"use client";

import { useFormatter, useNow, useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { ActivityIcon, KeyIcon, TokenIcon } from "@/components/icons";
import { trpc } from "@/lib/trpc/react";

interface ActivityEvent {
  id: string;
  action: string;
  createdAt: Date;
  details: Partial<Record<string, string | number | null>>;
}

const PAGE_SIZE = 20;

function str(value: string | number | null | undefined): string {
  return value === null || value === undefined ? "" : String(value);
}

function useDescribe() {
  const t = useTranslations("activity");
  const format = useFormatter();
  return (event: ActivityEvent): { title: string; detail: string | null; icon: ReactNode } => {
    const d = event.details;
    const scopeName = (scope: string) => (scope === "read_only" || scope === "full_access" ? t(`scopes.${scope}`) : scope);
    switch (event.action) {
      case "api_key.created":
        return { title: t("actions.api_key_created", { name: str(d.name), start: str(d.start), scope: scopeName(str(d.scope)) }), detail: null, icon: <KeyIcon /> };
      case "api_key.renamed":
        return { title: t("actions.api_key_renamed", { from: str(d.from), to: str(d.to), start: str(d.start) }), detail: null, icon: <KeyIcon /> };
      case "api_key.revoked":
        return { title: t("actions.api_key_revoked", { name: str(d.name), start: str(d.start) }), detail: null, icon: <KeyIcon /> };
      case "api_key.rolled": {
        const grace = typeof d.gracePeriodSeconds === "number" ? d.gracePeriodSeconds : 0;
        const duration =
          grace >= 86_400 && grace % 86_400 === 0
            ? format.number(grace / 86_400, { style: "unit", unit: "day", unitDisplay: "long" })
            : grace >= 3_600 && grace % 3_600 === 0
              ? format.number(grace / 3_600, { style: "unit", unit: "hour", unitDisplay: "long" })
              : format.number(Math.ceil(grace / 60), { style: "unit", unit: "minute", unitDisplay: "long" });
        return {
          title: t("actions.api_key_rolled", { oldStart: str(d.oldStart), newStart: str(d.newStart) }),
          detail: grace > 0 ? t("rollGrace", { duration }) : t("rollNoGrace"),
          icon: <KeyIcon />,
        };
      }
      case "token.issued": {
        const via = str(d.via);
        return {
          title: t("actions.token_issued", { minutes: Math.round((typeof d.ttlSeconds === "number" ? d.ttlSeconds : 0) / 60) }),
          detail: via === "portal" || via === "cli" || via === "test" ? t(`via.${via}`) : null,
          icon: <TokenIcon />,
        };
      }
      case "user.signed_in": {
        const method = str(d.method);
        const methodName = method === "credentials" || method === "github" ? t(`methods.${method}`) : t("methods.other", { method });
        const parts = [d.ip ? t("fromAddress", { ip: str(d.ip) }) : null, d.userAgent ? str(d.userAgent) : null].filter(Boolean);
        return { title: t("actions.user_signed_in", { method: methodName }), detail: parts.length ? parts.join(" · ") : null, icon: <ActivityIcon /> };
      }
      default:
        return { title: t("actions.other", { action: event.action }), detail: null, icon: <ActivityIcon /> };
    }
  };
}

export function ActivityFeed() {
  const t = useTranslations("activity");
  const format = useFormatter();
  const now = useNow({ updateInterval: 60_000 });
  const describe = useDescribe();
  const query = trpc.audit.list.useInfiniteQuery(
    { limit: PAGE_SIZE },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  );

  if (query.isPending) {
    return (
      <div role="status" aria-live="polite" className="flex flex-col gap-2" data-testid="activity-loading">
        <span className="sr-only">{t("loading")}</span>
        {[0, 1, 2, 3].map((i) => (
          <div key={i} aria-hidden="true" className="h-14 animate-pulse rounded-lg bg-zinc-100 dark:bg-zinc-900" />
        ))}
      </div>
    );
  }

  if (query.isError) {
    return (
      <div role="alert" className="flex flex-col items-start gap-3 rounded-xl border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-100">
        <p>
          {t("error")} {query.error.message}
        </p>
        <button type="button" onClick={() => void query.refetch()} className="rounded-md border border-red-400 px-3 py-1.5 font-medium">
          {t("retry")}
        </button>
      </div>
    );
  }

  const events = query.data.pages.flatMap((page) => page.items);
  if (events.length === 0) {
    return (
      <div className="flex flex-col items-center gap-3 rounded-xl border border-dashed border-zinc-300 px-6 py-12 text-center dark:border-zinc-700" data-testid="activity-empty">
        <div aria-hidden="true" className="grid size-10 place-items-center rounded-full bg-brand-50 text-brand-600 dark:bg-brand-700/20 dark:text-brand-100">
          <ActivityIcon />
        </div>
        <h2 className="text-base font-semibold">{t("emptyTitle")}</h2>
        <p className="max-w-md text-sm text-zinc-600 dark:text-zinc-400">{t("emptyBody")}</p>
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-4">
      <ol aria-label={t("listLabel")} className="flex flex-col divide-y divide-zinc-200 rounded-xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800" data-testid="activity-list">
        {events.map((event) => {
          const { title, detail, icon } = describe(event);
          return (
            <li key={event.id} className="flex gap-3 px-4 py-3" data-testid="activity-event" data-action={event.action}>
              <span aria-hidden="true" className="mt-0.5 grid size-8 shrink-0 place-items-center rounded-full bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300 [&_svg]:size-4">
                {icon}
              </span>
              <div className="flex min-w-0 flex-1 flex-col gap-0.5 sm:flex-row sm:items-baseline sm:justify-between sm:gap-4">
                <div className="flex min-w-0 flex-col gap-0.5">
                  <p className="text-sm font-medium break-words" data-testid="activity-title">
                    {title}
                  </p>
                  {detail ? <p className="truncate text-xs text-zinc-600 dark:text-zinc-400">{detail}</p> : null}
                </div>
                <time
                  dateTime={event.createdAt.toISOString()}
                  title={format.dateTime(event.createdAt, { dateStyle: "medium", timeStyle: "medium" })}
                  className="shrink-0 text-xs text-zinc-600 tabular-nums dark:text-zinc-400"
                >
                  {format.relativeTime(event.createdAt, now)}
                </time>
              </div>
            </li>
          );
        })}
      </ol>
      <div className="flex justify-center" aria-live="polite">
        {query.hasNextPage ? (
          <button
            type="button"
            onClick={() => void query.fetchNextPage()}
            disabled={query.isFetchingNextPage}
            className="rounded-md border border-zinc-300 px-4 py-2 text-sm font-medium hover:bg-zinc-50 disabled:opacity-60 dark:border-zinc-700 dark:hover:bg-zinc-900"
          >
            {query.isFetchingNextPage ? t("loadingMore") : t("loadMore")}
          </button>
        ) : (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">{t("end")}</p>
        )}
      </div>
    </div>
  );
}
