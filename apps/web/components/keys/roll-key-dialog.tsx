"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { FormAlert } from "@/components/form";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { trpc } from "@/lib/trpc/react";
import { describeError } from "./errors";
import { RevealSecret, useRevealGuard } from "./reveal-secret";
import type { KeyRow } from "./types";

export const GRACE_CHOICES = [
  { id: "now", seconds: 0 },
  { id: "1h", seconds: 3_600 },
  { id: "24h", seconds: 86_400 },
  { id: "7d", seconds: 604_800 },
] as const;

export function RollKeyDialog({ target, onClose }: { target: KeyRow | null; onClose: () => void }) {
  const t = useTranslations("keys");
  const te = useTranslations("keys.errors");
  const utils = trpc.useUtils();
  const groupName = useId();
  const [grace, setGrace] = useState<(typeof GRACE_CHOICES)[number]["id"]>("24h");
  const roll = trpc.keys.roll.useMutation({ onSettled: () => utils.keys.list.invalidate() });
  const rolled = roll.data;
  const guard = useRevealGuard(Boolean(rolled));
  const failure = describeError(roll.error, te);

  function requestClose() {
    if (!guard.mayClose()) return;
    setGrace("24h");
    guard.reset();
    roll.reset();
    onClose();
  }

  const name = target?.name ?? "";
  const seconds = GRACE_CHOICES.find((c) => c.id === grace)!.seconds;

  return (
    <Dialog
      open={target !== null}
      onRequestClose={requestClose}
      closeLabel={t("dialog.close")}
      title={rolled ? t("reveal.rolledTitle", { name }) : t("roll.title", { name })}
      description={rolled ? (seconds === 0 ? t("reveal.rolledBodyNow") : t("reveal.rolledBodyGrace", { grace: t(`roll.grace.${grace}`) })) : t("roll.description", { start: target?.start ?? "" })}
      size="lg"
      testId={rolled ? "reveal-dialog" : "roll-key-dialog"}
    >
      {rolled ? (
        <RevealSecret secret={rolled.key.key} {...guard.revealProps} onDone={requestClose} />
      ) : (
        <form
          className="flex flex-col gap-5"
          onSubmit={(event) => {
            event.preventDefault();
            if (!target || roll.isPending) return;
            roll.mutate({ id: target.id, gracePeriodSeconds: seconds });
          }}
        >
          {failure ? <FormAlert>{failure.message}</FormAlert> : null}
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1.5 text-sm font-medium">{t("roll.graceLabel")}</legend>
            {GRACE_CHOICES.map((choice) => (
              <label
                key={choice.id}
                className={`flex cursor-pointer items-start gap-3 rounded-lg border p-3 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-brand-500 ${
                  grace === choice.id ? "border-brand-600 bg-brand-50/70 dark:border-brand-500 dark:bg-brand-700/15" : "border-zinc-300 dark:border-zinc-700"
                }`}
              >
                <input
                  type="radio"
                  name={groupName}
                  value={choice.id}
                  checked={grace === choice.id}
                  onChange={() => setGrace(choice.id)}
                  className="mt-0.5 size-4 accent-brand-600"
                />
                <span className="flex flex-col gap-0.5">
                  <span className="font-medium">{t(`roll.option.${choice.id}`)}</span>
                  <span className="text-zinc-600 dark:text-zinc-400">{t(`roll.graceHint.${choice.id}`)}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <DialogActions>
            <Button variant="secondary" onClick={requestClose}>
              {t("dialog.cancel")}
            </Button>
            <Button type="submit" variant="primary" pending={roll.isPending}>
              {roll.isPending ? t("roll.submitting") : t("roll.submit")}
            </Button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  );
}
