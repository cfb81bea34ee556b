"use client";

import { useFormatter, useNow, useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { trpc } from "@/lib/trpc/react";
import { ScopeBadge, StatusBadge } from "./badges";
import { describeError } from "./errors";
import { keyNameProblem } from "./key-name";
import type { KeyRow } from "./types";

interface KeyTableProps {
  keys: KeyRow[];
  onRoll: (key: KeyRow) => void;
  onRevoke: (key: KeyRow) => void;
}

/**
 * The keys as a table on wide screens; below `md` each row becomes a card (same markup, so
 * every control exists once for keyboards, screen readers and tests).
 */
export function KeyTable({ keys, onRoll, onRevoke }: KeyTableProps) {
  const t = useTranslations("keys.table");
  return (
    <div className="overflow-hidden rounded-xl border border-zinc-200 md:overflow-x-auto dark:border-zinc-800">
      <table className="w-full border-collapse text-left text-sm max-md:block">
        <caption className="sr-only">{t("caption")}</caption>
        <thead className="bg-zinc-50 text-xs font-medium text-zinc-600 max-md:hidden dark:bg-zinc-900/60 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-4 py-2.5 font-medium">{t("name")}</th>
            <th scope="col" className="px-2.5 py-2.5 font-medium whitespace-nowrap">{t("scope")}</th>
            <th scope="col" className="px-2.5 py-2.5 font-medium whitespace-nowrap">{t("status")}</th>
            <th scope="col" className="px-2.5 py-2.5 font-medium whitespace-nowrap">{t("created")}</th>
            <th scope="col" className="px-2.5 py-2.5 font-medium whitespace-nowrap">{t("lastUsed")}</th>
            <th scope="col" className="px-2.5 py-2.5 font-medium whitespace-nowrap">{t("expires")}</th>
            <th scope="col" className="px-2.5 py-2.5 text-right font-medium">{t("requests24h")}</th>
            <th scope="col" className="px-4 py-2.5 text-right font-medium">
              <span className="sr-only">{t("actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 max-md:block dark:divide-zinc-800">
          {keys.map((key) => (
            <KeyTableRow key={key.id} row={key} onRoll={onRoll} onRevoke={onRevoke} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** On phones, the column's name in front of its value. */
function CellLabel({ children }: { children: string }) {
  return <span className="text-xs text-zinc-500 md:hidden dark:text-zinc-400">{children}</span>;
}

const cell = "px-2.5 py-3 align-middle max-md:flex max-md:items-center max-md:justify-between max-md:gap-3 max-md:px-4 max-md:py-1";

function KeyTableRow({ row, onRoll, onRevoke }: { row: KeyRow; onRoll: (key: KeyRow) => void; onRevoke: (key: KeyRow) => void }) {
  const t = useTranslations("keys");
  const format = useFormatter();
  const now = useNow({ updateInterval: 60_000 });
  const [editing, setEditing] = useState(false);
  const inactive = row.status === "revoked" || row.status === "expired";
  const date = (d: Date) => format.dateTime(d, { dateStyle: "medium" });

  return (
    <tr data-testid="key-row" data-key-id={row.id} className={`max-md:block max-md:py-3 ${inactive ? "text-zinc-500 dark:text-zinc-400" : ""}`}>
      <th scope="row" className="px-4 py-3 text-left align-middle font-medium max-md:block max-md:pb-2">
        {editing ? <RenameForm row={row} onDone={() => setEditing(false)} /> : <span className="block max-w-56 break-words">{row.name}</span>}
        <code className="mt-0.5 block font-mono text-xs font-normal whitespace-nowrap text-zinc-600 dark:text-zinc-400" title={t("table.key")}>
          {row.start}…
        </code>
      </th>
      <td className={cell}>
        <CellLabel>{t("table.scope")}</CellLabel>
        <ScopeBadge scope={row.scope} />
      </td>
      <td className={cell}>
        <CellLabel>{t("table.status")}</CellLabel>
        <StatusBadge status={row.status} />
      </td>
      <td className={`${cell} whitespace-nowrap`}>
        <CellLabel>{t("table.created")}</CellLabel>
        <time dateTime={row.createdAt.toISOString()}>{date(row.createdAt)}</time>
      </td>
      <td className={`${cell} whitespace-nowrap`}>
        <CellLabel>{t("table.lastUsed")}</CellLabel>
        {row.lastUsedAt ? (
          <time dateTime={row.lastUsedAt.toISOString()} title={format.dateTime(row.lastUsedAt, { dateStyle: "medium", timeStyle: "short" })}>
            {format.relativeTime(row.lastUsedAt, now)}
          </time>
        ) : (
          <span className="text-zinc-500 dark:text-zinc-400">{t("table.never")}</span>
        )}
      </td>
      <td className={`${cell} whitespace-nowrap`}>
        <CellLabel>{t("table.expires")}</CellLabel>
        {row.revokedAt ? (
          // The status already says "Revoked"; the date is there for those who look (and for screen readers).
          <span title={t("table.revokedOn", { date: date(row.revokedAt) })}>
            <span aria-hidden="true">—</span>
            <span className="sr-only">{t("table.revokedOn", { date: date(row.revokedAt) })}</span>
          </span>
        ) : row.expiresAt ? (
          <time dateTime={row.expiresAt.toISOString()} title={format.dateTime(row.expiresAt, { dateStyle: "medium", timeStyle: "short" })}>
            {row.status === "expiring" ? format.relativeTime(row.expiresAt, now) : date(row.expiresAt)}
          </time>
        ) : (
          <span className="text-zinc-500 dark:text-zinc-400">{t("table.noExpiry")}</span>
        )}
      </td>
      <td className={`${cell} tabular-nums md:text-right`}>
        <CellLabel>{t("table.requests24h")}</CellLabel>
        <span data-testid="requests-24h">{format.number(row.requests24h)}</span>
      </td>
      <td className="px-3 py-3 align-middle max-md:block max-md:px-2 max-md:pt-2">
        {inactive || editing ? null : (
          <div className="flex flex-wrap gap-1 md:flex-nowrap md:justify-end">
            <Button size="sm" variant="ghost" title={t("actions.rename")} aria-label={t("actions.renameAria", { name: row.name })} onClick={() => setEditing(true)}>
              <ActionIcon kind="rename" />
              <span className="md:sr-only">{t("actions.rename")}</span>
            </Button>
            <Button size="sm" variant="ghost" title={t("actions.roll")} aria-label={t("actions.rollAria", { name: row.name })} onClick={() => onRoll(row)}>
              <ActionIcon kind="roll" />
              <span className="md:sr-only">{t("actions.roll")}</span>
            </Button>
            <Button
              size="sm"
              variant="ghost"
              className="text-red-700 hover:bg-red-50 hover:text-red-800 dark:text-red-400 dark:hover:bg-red-950/50 dark:hover:text-red-300"
              title={t("actions.revoke")}
              aria-label={t("actions.revokeAria", { name: row.name })}
              onClick={() => onRevoke(row)}
            >
              <ActionIcon kind="revoke" />
              <span className="md:sr-only">{t("actions.revoke")}</span>
            </Button>
          </div>
        )}
      </td>
    </tr>
  );
}

function ActionIcon({ kind }: { kind: "rename" | "roll" | "revoke" }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
      {kind === "rename" ? <path d="M12.8 4.2a1.9 1.9 0 0 1 2.7 2.7L7.3 15.1l-3.6.9.9-3.6 8.2-8.2ZM11.5 5.5l2.7 2.7" /> : null}
      {kind === "roll" ? <path d="M4.5 9.5a5.5 5.5 0 0 1 9.6-3.4L15.5 7.5M15.5 4v3.5H12M15.5 10.5a5.5 5.5 0 0 1-9.6 3.4L4.5 12.5M4.5 16v-3.5H8" /> : null}
      {kind === "revoke" ? (
        <>
          <circle cx="10" cy="10" r="6.25" />
          <path d="m5.6 5.6 8.8 8.8" />
        </>
      ) : null}
    </svg>
  );
}

/** Rename in place: Enter saves, Escape cancels; the new name shows at once (optimistic). */
function RenameForm({ row, onDone }: { row: KeyRow; onDone: () => void }) {
  const t = useTranslations("keys");
  const te = useTranslations("keys.errors");
  const utils = trpc.useUtils();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [name, setName] = useState(row.name);
  const [error, setError] = useState<string | null>(null);
  const rename = trpc.keys.rename.useMutation({
    onMutate: async ({ id: keyId, name: next }) => {
      await utils.keys.list.cancel();
      const previous = utils.keys.list.getData();
      utils.keys.list.setData(undefined, (rows) => rows?.map((r) => (r.id === keyId ? { ...r, name: next.trim() } : r)));
      return { previous };
    },
    onError: (failure, _input, context) => {
      if (context?.previous) utils.keys.list.setData(undefined, context.previous);
      const described = describeError(failure, te);
      setError(described?.fieldErrors.name?.[0] ?? described?.message ?? null);
    },
    onSuccess: () => onDone(),
    onSettled: () => utils.keys.list.invalidate(),
  });

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  function submit(event: FormEvent) {
    event.preventDefault();
    const next = name.trim();
    const problem = keyNameProblem(name);
    if (problem) {
      setError(t(problem));
      return;
    }
    if (next === row.name) {
      onDone();
      return;
    }
    setError(null);
    rename.mutate({ id: row.id, name: next });
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-1.5 font-normal" noValidate>
      <label htmlFor={id} className="sr-only">
        {t("rename.label", { name: row.name })}
      </label>
      <div className="flex flex-wrap items-center gap-1.5">
        <input
          ref={input}
          id={id}
          value={name}
          maxLength={64}
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(event) => setName(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Escape") {
              event.preventDefault();
              onDone();
            }
          }}
          className="w-full min-w-0 rounded-md border border-zinc-300 bg-white px-2 py-1 text-base text-zinc-900 md:w-36 md:text-sm dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
        />
        <Button type="submit" size="sm" variant="primary" pending={rename.isPending}>
          {t("rename.save")}
        </Button>
        <Button size="sm" variant="ghost" onClick={onDone}>
          {t("dialog.cancel")}
        </Button>
      </div>
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-xs text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </form>
  );
}
