"use client";

import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useId, useMemo, useState } from "react";
import { trpc } from "@/lib/trpc/react";
import { UsageChart, type ChartPoint } from "./usage-chart";

type Range = "24h" | "30d";

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="flex flex-col gap-1 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
      <dt className="text-xs font-medium text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className="text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

export function UsageDashboard({ origin }: { origin: string }) {
  const t = useTranslations("usage");
  const tScopes = useTranslations("scopes");
  const format = useFormatter();
  const report = trpc.usage.report.useQuery(undefined, { refetchInterval: 30_000 });
  const [range, setRange] = useState<Range>("24h");
  const [keyId, setKeyId] = useState<string>("all");
  const selectId = useId();

  const data = report.data;
  const points = useMemo<ChartPoint[]>(() => {
    if (!data) return [];
    const source = keyId === "all" ? data.total : (data.keys.find((k) => k.keyId === keyId) ?? data.total);
    const buckets = range === "24h" ? source.hourly : source.daily;
    return buckets.map((b) => ({
      label:
        range === "24h"
          ? format.dateTime(b.start, { hour: "2-digit", minute: "2-digit" })
          : format.dateTime(b.start, { month: "short", day: "numeric", timeZone: "UTC" }),
      fullLabel:
        range === "24h"
          ? format.dateTime(b.start, { weekday: "short", hour: "2-digit", minute: "2-digit" })
          : format.dateTime(b.start, { dateStyle: "medium", timeZone: "UTC" }),
      requests: b.requests,
      rateLimited: b.rateLimited,
    }));
  }, [data, keyId, range, format]);

  if (report.isPending) {
    return (
      <div role="status" aria-live="polite" className="flex flex-col gap-4" data-testid="usage-loading">
        <span className="sr-only">{t("loading")}</span>
        <div className="grid gap-3 sm:grid-cols-3" aria-hidden="true">
          {[0, 1, 2].map((i) => (
            <div key={i} className="h-20 animate-pulse rounded-xl bg-zinc-100 dark:bg-zinc-900" />
          ))}
        </div>
        <div aria-hidden="true" className="h-72 animate-pulse rounded-xl bg-zinc-100 dark:bg-zinc-900" />
      </div>
    );
  }

  if (report.isError) {
    return (
      <div role="alert" className="flex flex-col items-start gap-3 rounded-xl border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-100">
        <p>
          {t("error")} {report.error.message}
        </p>
        <button type="button" onClick={() => void report.refetch()} className="rounded-md border border-red-400 px-3 py-1.5 font-medium">
          {t("retry")}
        </button>
      </div>
    );
  }

  const { total, keys, remaining } = report.data;
  const hasUsage = total.last30d.requests + total.last30d.rateLimited > 0;
  const selected = keyId === "all" ? null : keys.find((k) => k.keyId === keyId);
  const shown = selected ?? total;
  const periodTotals = range === "24h" ? shown.last24h : shown.last30d;
  const curl = `curl ${origin}/api/v1/twins \\\n  -H "Authorization: Bearer ${keys[0] ? `${keys[0].start}<rest-of-your-key>` : "twx_<your-api-key>"}"`;

  return (
    <div className="flex flex-col gap-6">
      <dl className="grid gap-3 sm:grid-cols-3">
        <Stat label={t("stat24h")} value={format.number(total.last24h.requests)} testId="usage-total-24h" />
        <Stat label={t("stat30d")} value={format.number(total.last30d.requests)} testId="usage-total-30d" />
        <Stat label={t("statLimited")} value={format.number(total.last30d.rateLimited)} testId="usage-limited-30d" />
      </dl>

      {!hasUsage ? (
        <section aria-labelledby="usage-empty-heading" className="flex flex-col gap-3 rounded-xl border border-dashed border-zinc-300 p-5 dark:border-zinc-700" data-testid="usage-empty">
          <h2 id="usage-empty-heading" className="text-base font-semibold">
            {t("emptyTitle")}
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("emptyBody")}</p>
          <ol className="flex list-decimal flex-col gap-2 pl-5 text-sm">
            <li>
              <Link href="/dashboard/keys" className="font-medium text-brand-600 underline underline-offset-2 dark:text-brand-100">
                {t("emptyStep1")}
              </Link>
            </li>
            <li>
              <div className="flex flex-col gap-2">
              <span>{t("emptyStep2")}</span>
              <pre tabIndex={0} data-language="shellscript" className="overflow-x-auto rounded-lg bg-zinc-950 px-4 py-3 font-mono text-xs text-zinc-100 sm:text-sm">
                <code className="language-shellscript">{curl}</code>
              </pre>
              </div>
            </li>
          </ol>
          <Link href="/dashboard/docs#quickstart" className="self-start text-sm font-medium text-brand-600 underline underline-offset-2 dark:text-brand-100">
            {t("openDocs")}
          </Link>
        </section>
      ) : (
        <section aria-labelledby="usage-chart-heading" className="flex flex-col gap-4 rounded-xl border border-zinc-200 p-4 sm:p-5 dark:border-zinc-800">
          <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
            <div className="flex flex-col gap-1">
              <h2 id="usage-chart-heading" className="text-base font-semibold">
                {range === "24h" ? t("chartTitle24h") : t("chartTitle30d")}
              </h2>
              <p className="text-xs text-zinc-600 dark:text-zinc-400">{range === "24h" ? t("chartNote24h") : t("chartNote30d")}</p>
            </div>
            <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
              <fieldset className="flex flex-col gap-1">
                <legend className="mb-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">{t("period")}</legend>
                <div className="inline-flex rounded-lg border border-zinc-300 p-0.5 dark:border-zinc-700">
                  {(["24h", "30d"] as const).map((value) => (
                    <label
                      key={value}
                      className={`cursor-pointer rounded-md px-3 py-1.5 text-sm font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-500 ${
                        range === value ? "bg-brand-600 text-white" : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
                      }`}
                    >
                      <input type="radio" name="usage-range" value={value} checked={range === value} onChange={() => setRange(value)} className="sr-only" />
                      {value === "24h" ? t("range24h") : t("range30d")}
                    </label>
                  ))}
                </div>
              </fieldset>
              <div className="flex flex-col gap-1">
                <label htmlFor={selectId} className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
                  {t("key")}
                </label>
                <select
                  id={selectId}
                  value={keyId}
                  onChange={(event) => setKeyId(event.target.value)}
                  className="rounded-lg border border-zinc-300 bg-white px-3 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
                >
                  <option value="all">{t("allKeys")}</option>
                  {keys.map((k) => (
                    <option key={k.keyId} value={k.keyId}>
                      {k.revokedAt ? t("keyOptionRevoked", { name: k.name, start: k.start }) : t("keyOption", { name: k.name, start: k.start })}
                    </option>
                  ))}
                </select>
              </div>
            </div>
          </div>
          <p className="text-sm text-zinc-700 dark:text-zinc-300" data-testid="usage-period-summary">
            {t("chartSummary", { requests: periodTotals.requests, rateLimited: periodTotals.rateLimited })}
          </p>
          <UsageChart points={points} requestsLabel={t("requests")} rateLimitedLabel={t("rateLimited")} />
          <details className="text-sm">
            <summary className="cursor-pointer font-medium text-brand-600 dark:text-brand-100">{t("showTable")}</summary>
            <div className="mt-2 max-h-80 overflow-auto" tabIndex={0} role="region" aria-label={range === "24h" ? t("chartTitle24h") : t("chartTitle30d")}>
              <table className="w-full text-left text-sm" data-testid="usage-table">
                <thead className="text-xs text-zinc-600 dark:text-zinc-400">
                  <tr>
                    <th scope="col" className="py-1 pr-3 font-medium">{range === "24h" ? t("hour") : t("day")}</th>
                    <th scope="col" className="py-1 pr-3 text-right font-medium">{t("requests")}</th>
                    <th scope="col" className="py-1 text-right font-medium">{t("rateLimited")}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-200 tabular-nums dark:divide-zinc-800">
                  {points.map((p) => (
                    <tr key={p.fullLabel}>
                      <th scope="row" className="py-1 pr-3 font-normal">{p.fullLabel}</th>
                      <td className="py-1 pr-3 text-right">{p.requests}</td>
                      <td className="py-1 text-right">{p.rateLimited}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </section>
      )}

      <section aria-labelledby="usage-remaining-heading" className="flex flex-col gap-3 rounded-xl border border-zinc-200 p-4 sm:p-5 dark:border-zinc-800">
        <div className="flex flex-col gap-1">
          <h2 id="usage-remaining-heading" className="text-base font-semibold">
            {t("remainingTitle")}
          </h2>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">{t("remainingHelp")}</p>
        </div>
        {remaining.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("noActiveKeys")}</p>
        ) : (
          <ul className="flex flex-col divide-y divide-zinc-200 dark:divide-zinc-800">
            {remaining.map((r) => {
              const key = keys.find((k) => k.keyId === r.keyId);
              if (!key) return null;
              const share = r.limit > 0 ? r.remaining / r.limit : 0;
              return (
                <li key={r.keyId} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between sm:gap-4" data-testid="usage-remaining" data-key-start={key.start}>
                  <div className="flex min-w-0 flex-col">
                    <span className="truncate font-medium">{key.name}</span>
                    <span className="text-xs text-zinc-600 dark:text-zinc-400">
                      <code className="font-mono">{key.start}…</code> · {tScopes(`${key.scope}.title`)}
                    </span>
                  </div>
                  <div className="flex flex-col gap-1 sm:w-64">
                    <div className="flex items-baseline justify-between gap-2 text-sm">
                      <span className="font-medium tabular-nums" data-testid="usage-remaining-value">
                        {t("remainingValue", { remaining: format.number(r.remaining), limit: format.number(r.limit) })}
                      </span>
                    </div>
                    <div
                      role="meter"
                      aria-valuemin={0}
                      aria-valuemax={r.limit}
                      aria-valuenow={r.remaining}
                      aria-label={`${key.name}: ${t("remainingValue", { remaining: r.remaining, limit: r.limit })}`}
                      className="h-2 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
                    >
                      <div className={`h-full rounded-full ${share < 0.1 ? "bg-orange-500" : "bg-brand-500"}`} style={{ width: `${Math.round(share * 100)}%` }} />
                    </div>
                    <span className="text-xs text-zinc-600 dark:text-zinc-400">
                      {t("resetsBy", { time: format.dateTime(r.reset, { hour: "2-digit", minute: "2-digit" }) })}
                      {r.source === "estimate" ? ` · ${t("estimated")}` : ""}
                    </span>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
        <div>
          <button
            type="button"
            onClick={() => void report.refetch()}
            disabled={report.isFetching}
            className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-50 disabled:opacity-60 dark:border-zinc-700 dark:hover:bg-zinc-900"
          >
            {t("refresh")}
          </button>
        </div>
      </section>
    </div>
  );
}
