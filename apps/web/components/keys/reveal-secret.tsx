/**
 * A secret shown exactly once (a new API key, a rolled key): the value, a copy button, the
 * seed's security warning, and a box to tick before the dialog may close.
 */
"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { DialogActions } from "@/components/ui/dialog";

interface RevealSecretProps {
  secret: string;
  /** How many times the user tried to close without confirming (0: never); each moves focus to the box. */
  confirmRequests: number;
  acknowledged: boolean;
  onAcknowledgedChange: (value: boolean) => void;
  onDone: () => void;
  children?: React.ReactNode;
}

/**
 * The close guard of a dialog that shows a secret once (create, roll): while the secret is on
 * screen and not yet confirmed as stored, a request to close only asks for that confirmation
 * (and moves focus to its box). Spread `revealProps` on {@link RevealSecret}.
 */
export function useRevealGuard(revealed: boolean) {
  const [acknowledged, setAcknowledged] = useState(false);
  const [confirmRequests, setConfirmRequests] = useState(0);
  return {
    revealProps: { acknowledged, confirmRequests, onAcknowledgedChange: setAcknowledged },
    /** Whether the dialog may close now; when not, the confirmation is asked for. */
    mayClose(): boolean {
      if (revealed && !acknowledged) {
        setConfirmRequests((n) => n + 1);
        return false;
      }
      return true;
    },
    reset(): void {
      setAcknowledged(false);
      setConfirmRequests(0);
    },
  };
}

/** The seed's security warning; the tokens page passes its own wording for an access token. */
export function SecurityWarning({ text }: { text?: { title: string; body: string; onlyOnce: string } }) {
  const tr = useTranslations("keys.reveal");
  const t = (key: "warningTitle" | "warningBody" | "onlyOnce") =>
    text ? { warningTitle: text.title, warningBody: text.body, onlyOnce: text.onlyOnce }[key] : tr(key);
  return (
    <div className="flex gap-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700/60 dark:bg-amber-950/40 dark:text-amber-100">
      <svg aria-hidden="true" viewBox="0 0 20 20" className="mt-0.5 size-5 shrink-0 text-amber-600 dark:text-amber-400" fill="currentColor">
        <path fillRule="evenodd" d="M8.3 2.9a2 2 0 0 1 3.4 0l6.1 10.6A2 2 0 0 1 16.1 16.5H3.9a2 2 0 0 1-1.7-3L8.3 2.9ZM10 7a1 1 0 0 0-1 1v3a1 1 0 1 0 2 0V8a1 1 0 0 0-1-1Zm0 8a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z" clipRule="evenodd" />
      </svg>
      <div className="flex flex-col gap-1">
        <p className="font-semibold">{t("warningTitle")}</p>
        <p>{t("warningBody")}</p>
        <p className="font-medium">{t("onlyOnce")}</p>
      </div>
    </div>
  );
}

export function RevealSecret({ secret, confirmRequests, acknowledged, onAcknowledgedChange, onDone, children }: RevealSecretProps) {
  const t = useTranslations("keys.reveal");
  const checkboxId = useId();
  const secretId = useId();
  const checkbox = useRef<HTMLInputElement>(null);

  const confirmNeeded = confirmRequests > 0;

  useEffect(() => {
    if (confirmRequests > 0) checkbox.current?.focus();
  }, [confirmRequests]);

  return (
    <div className="flex flex-col gap-4">
      <SecurityWarning />
      <div className="flex flex-col gap-1.5">
        <label htmlFor={secretId} className="text-sm font-medium">
          {t("secretLabel")}
        </label>
        <div className="flex flex-col gap-2 sm:flex-row sm:items-stretch">
          <textarea
            id={secretId}
            readOnly
            rows={1}
            value={secret}
            data-testid="revealed-secret"
            spellCheck={false}
            autoComplete="off"
            onFocus={(event) => event.currentTarget.select()}
            className="min-w-0 flex-1 resize-none rounded-md border border-zinc-300 bg-zinc-50 px-3 py-2 font-mono text-sm break-all text-zinc-900 max-sm:h-20 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
          />
          <CopyButton text={secret} label={t("copy")} copiedLabel={t("copied")} ariaLabel={t("copyAria")} variant="primary" />
        </div>
      </div>
      {children}
      <div className="flex flex-col gap-1.5">
        <label htmlFor={checkboxId} className="flex items-start gap-2 text-sm">
          <input
            ref={checkbox}
            id={checkboxId}
            type="checkbox"
            checked={acknowledged}
            onChange={(event) => onAcknowledgedChange(event.target.checked)}
            aria-invalid={confirmNeeded && !acknowledged ? true : undefined}
            aria-describedby={confirmNeeded && !acknowledged ? `${checkboxId}-error` : undefined}
            className="mt-0.5 size-4 shrink-0 accent-brand-600"
          />
          <span>{t("acknowledge")}</span>
        </label>
        {confirmNeeded && !acknowledged ? (
          <p id={`${checkboxId}-error`} role="alert" className="text-sm text-red-700 dark:text-red-400">
            {t("confirmBeforeClosing")}
          </p>
        ) : null}
      </div>
      <DialogActions>
        <Button variant="primary" onClick={onDone}>
          {t("done")}
        </Button>
      </DialogActions>
    </div>
  );
}
