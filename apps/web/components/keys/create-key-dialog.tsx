"use client";

import { useNow, useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { FormAlert, TextField } from "@/components/form";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { trpc } from "@/lib/trpc/react";
import { describeError } from "./errors";
import { RevealSecret, useRevealGuard } from "./reveal-secret";
import { ScopeCards } from "./scope-cards";
import { keyNameProblem } from "./key-name";
import type { KeyScope } from "./types";

const EXPIRY_CHOICES = ["never", "30", "60", "90", "custom"] as const;
type ExpiryChoice = (typeof EXPIRY_CHOICES)[number];
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a local date, for the date input's bounds. */
function isoDay(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
}

/** The chosen expiry as a moment: N days from now, or the end of the chosen local day. */
function expiryOf(choice: ExpiryChoice, customDay: string): Date | null | "invalid" {
  if (choice === "never") return null;
  if (choice !== "custom") return new Date(Date.now() + Number(choice) * DAY_MS);
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(customDay);
  if (!match) return "invalid";
  const end = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 59, 999);
  return Number.isNaN(end.getTime()) || end.getTime() <= Date.now() ? "invalid" : end;
}

export function CreateKeyDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useTranslations("keys");
  const te = useTranslations("keys.errors");
  // Render-safe "now" (the earliest custom expiry is tomorrow); refreshed each minute.
  const now = useNow({ updateInterval: 60_000 });
  const utils = trpc.useUtils();
  const formId = useId();
  const [name, setName] = useState("");
  const [scope, setScope] = useState<KeyScope>("read_only");
  const [expiry, setExpiry] = useState<ExpiryChoice>("never");
  const [customDay, setCustomDay] = useState("");
  const [localErrors, setLocalErrors] = useState<{ name?: string; expiresAt?: string }>({});

  const create = trpc.keys.create.useMutation({
    onSettled: () => utils.keys.list.invalidate(),
  });
  const created = create.data;
  const guard = useRevealGuard(Boolean(created));
  const failure = describeError(create.error, te);

  function reset() {
    setName("");
    setScope("read_only");
    setExpiry("never");
    setCustomDay("");
    setLocalErrors({});
    guard.reset();
    create.reset();
  }

  function requestClose() {
    if (!guard.mayClose()) return;
    reset();
    onClose();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (create.isPending) return;
    const errors: typeof localErrors = {};
    const nameProblem = keyNameProblem(name);
    if (nameProblem) errors.name = t(nameProblem);
    const expiresAt = expiryOf(expiry, customDay);
    if (expiresAt === "invalid") errors.expiresAt = t("create.dateInFuture");
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0 || expiresAt === "invalid") return;
    create.mutate({ name: name.trim(), scope, expiresAt });
  }

  const tomorrow = isoDay(new Date(now.getTime() + DAY_MS));

  return (
    <Dialog
      open={open}
      onRequestClose={requestClose}
      closeLabel={t("dialog.close")}
      title={created ? t("reveal.createdTitle", { name: created.name }) : t("create.title")}
      description={created ? t("reveal.createdBody") : t("create.description")}
      size="lg"
      testId={created ? "reveal-dialog" : "create-key-dialog"}
    >
      {created ? (
        <RevealSecret
          secret={created.key}
          {...guard.revealProps}
          onDone={requestClose}
        />
      ) : (
        <form id={formId} onSubmit={submit} noValidate className="flex flex-col gap-5">
          {failure ? <FormAlert>{failure.message}</FormAlert> : null}
          <TextField
            id={`${formId}-name`}
            name="name"
            label={t("create.nameLabel")}
            hint={t("create.nameHint")}
            value={name}
            maxLength={64}
            autoComplete="off"
            autoFocus
            onChange={(event) => setName(event.target.value)}
            error={localErrors.name ?? failure?.fieldErrors.name?.[0] ?? null}
          />
          <ScopeCards name={`${formId}-scope`} value={scope} onChange={setScope} />
          <div className="flex flex-col gap-1.5">
            <label htmlFor={`${formId}-expiry`} className="text-sm font-medium">
              {t("create.expiryLabel")}
            </label>
            <select
              id={`${formId}-expiry`}
              value={expiry}
              onChange={(event) => setExpiry(event.target.value as ExpiryChoice)}
              className="rounded-md border border-zinc-300 bg-white px-3 py-2 text-base text-zinc-900 shadow-xs sm:text-sm dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
            >
              {EXPIRY_CHOICES.map((choice) => (
                <option key={choice} value={choice}>
                  {t(`create.expiry.${choice}`)}
                </option>
              ))}
            </select>
            {expiry === "custom" ? (
              <div className="mt-2">
                <TextField
                  id={`${formId}-expiry-date`}
                  name="expiresAt"
                  type="date"
                  label={t("create.expiryDateLabel")}
                  min={tomorrow}
                  value={customDay}
                  onChange={(event) => setCustomDay(event.target.value)}
                  error={localErrors.expiresAt ?? failure?.fieldErrors.expiresAt?.[0] ?? null}
                />
              </div>
            ) : (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("create.expiryHint")}</p>
            )}
          </div>
          <DialogActions>
            <Button variant="secondary" onClick={requestClose}>
              {t("dialog.cancel")}
            </Button>
            <Button type="submit" variant="primary" pending={create.isPending}>
              {create.isPending ? t("create.submitting") : t("create.submit")}
            </Button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  );
}
