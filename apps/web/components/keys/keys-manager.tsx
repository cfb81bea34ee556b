"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { FormAlert } from "@/components/form";
import { KeyIcon } from "@/components/icons";
import { Button } from "@/components/ui/button";
import { trpc } from "@/lib/trpc/react";
import { CreateKeyDialog } from "./create-key-dialog";
import { describeError } from "./errors";
import { KeyTable } from "./key-table";
import { RevokeKeyDialog } from "./revoke-key-dialog";
import { RollKeyDialog } from "./roll-key-dialog";
import type { KeyRow } from "./types";

/** The keys page: header with the create button, the table, and its dialogs. */
export function KeysManager() {
  const t = useTranslations("keys");
  const te = useTranslations("keys.errors");
  const tp = useTranslations("pages.keys");
  const list = trpc.keys.list.useQuery(undefined, { refetchInterval: 60_000 });
  const [creating, setCreating] = useState(false);
  const [rolling, setRolling] = useState<KeyRow | null>(null);
  const [revoking, setRevoking] = useState<KeyRow | null>(null);
  const failure = describeError(list.error, te);
  const activeCount = list.data?.filter((k) => k.status === "active" || k.status === "expiring").length ?? 0;

  const createButton = (
    <Button variant="primary" onClick={() => setCreating(true)}>
      <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="currentColor">
        <path d="M10 3a1 1 0 0 1 1 1v5h5a1 1 0 1 1 0 2h-5v5a1 1 0 1 1-2 0v-5H4a1 1 0 1 1 0-2h5V4a1 1 0 0 1 1-1Z" />
      </svg>
      {t("createButton")}
    </Button>
  );

  return (
    <>
      <div className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="flex flex-col gap-1">
          <h1 className="text-2xl font-semibold tracking-tight">{tp("title")}</h1>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{tp("description")}</p>
        </div>
        <div className="shrink-0">{createButton}</div>
      </div>

      {list.isPending ? (
        <div role="status" aria-live="polite" className="flex flex-col gap-2" data-testid="keys-loading">
          <span className="sr-only">{t("loading")}</span>
          {[0, 1, 2].map((i) => (
            <div key={i} aria-hidden="true" className="h-14 animate-pulse rounded-lg bg-zinc-100 dark:bg-zinc-800/60" />
          ))}
        </div>
      ) : list.isError ? (
        <div className="flex flex-col items-start gap-3">
          <FormAlert>{failure?.message ?? t("errors.generic")}</FormAlert>
          <Button onClick={() => list.refetch()}>{t("retry")}</Button>
        </div>
      ) : list.data.length === 0 ? (
        <div className="flex flex-col items-center gap-3 rounded-xl border border-dashed border-zinc-300 px-6 py-12 text-center dark:border-zinc-700">
          <div aria-hidden="true" className="grid size-10 place-items-center rounded-full bg-brand-50 text-brand-600 dark:bg-brand-700/20 dark:text-brand-100">
            <KeyIcon />
          </div>
          <h2 className="text-base font-semibold">{t("empty.title")}</h2>
          <p className="max-w-md text-sm text-zinc-600 dark:text-zinc-400">{t("empty.body")}</p>
          {createButton}
        </div>
      ) : (
        <div className="flex flex-col gap-2">
          <KeyTable keys={list.data} onRoll={setRolling} onRevoke={setRevoking} />
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            {t("footer", { active: activeCount, max: 50 })}
            {list.isFetching ? <span className="ml-2">{t("refreshing")}</span> : null}
          </p>
        </div>
      )}

      <CreateKeyDialog open={creating} onClose={() => setCreating(false)} />
      <RollKeyDialog target={rolling} onClose={() => setRolling(null)} />
      <RevokeKeyDialog target={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}
