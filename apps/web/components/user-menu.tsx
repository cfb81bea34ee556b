"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";
import { useFormStatus } from "react-dom";
import { signOutAction } from "@/app/actions/auth";
import { trpc } from "@/lib/trpc/react";
import { PendingSubmitButton, Spinner } from "./form";

interface UserMenuProps {
  /** From the session cookie, shown until `account.me` answers. */
  fallbackEmail: string | null | undefined;
}

/** A disclosure (button + panel): Escape and a click outside close it, focus returns to the button. */
export function UserMenu({ fallbackEmail }: UserMenuProps) {
  const t = useTranslations();
  const me = trpc.account.me.useQuery();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);

  const email = me.data?.email ?? fallbackEmail ?? "";
  const name = me.data?.name ?? null;

  useEffect(() => {
    if (!open) return;
    function onKey(event: KeyboardEvent) {
      if (event.key === "Escape") {
        setOpen(false);
        buttonRef.current?.focus();
      }
    }
    function onPointer(event: PointerEvent) {
      if (rootRef.current && !rootRef.current.contains(event.target as Node)) setOpen(false);
    }
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open]);

  return (
    <div ref={rootRef} className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((v) => !v)}
        className="flex items-center gap-2 rounded-full border border-zinc-200 py-1 pr-2 pl-1 text-sm text-zinc-800 hover:bg-zinc-100 dark:border-zinc-800 dark:text-zinc-100 dark:hover:bg-zinc-800"
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" className="size-7 text-zinc-500 dark:text-zinc-400" fill="currentColor">
          <path
            fillRule="evenodd"
            d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm0 4a3.5 3.5 0 1 1 0 7 3.5 3.5 0 0 1 0-7Zm0 14a7.98 7.98 0 0 1-5.9-2.6C7.3 15.6 9.5 14.5 12 14.5s4.7 1.1 5.9 2.9A7.98 7.98 0 0 1 12 20Z"
            clipRule="evenodd"
          />
        </svg>
        {/* The accessible name is this text: a label alone would hide who is signed in. */}
        <span className="sr-only">{t("userMenu.open")}</span>
        <span className="hidden max-w-48 truncate sm:inline">{name ?? email}</span>
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4 text-zinc-500" fill="currentColor">
          <path fillRule="evenodd" d="M5.2 7.7a.75.75 0 0 1 1.06.05L10 11.8l3.74-4.05a.75.75 0 1 1 1.1 1.02l-4.29 4.64a.75.75 0 0 1-1.1 0L5.15 8.76a.75.75 0 0 1 .05-1.06Z" clipRule="evenodd" />
        </svg>
      </button>
      <div
        id={panelId}
        hidden={!open}
        className="absolute right-0 z-20 mt-2 w-64 rounded-lg border border-zinc-200 bg-white p-2 shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
      >
        <div className="border-b border-zinc-200 px-2 pt-1 pb-2 dark:border-zinc-800">
          <p className="text-xs text-zinc-600 dark:text-zinc-400">{t("userMenu.signedInAs")}</p>
          {name ? <p className="truncate text-sm font-medium">{name}</p> : null}
          <p className="truncate text-sm text-zinc-700 dark:text-zinc-300" data-testid="user-email">
            {email}
          </p>
        </div>
        <form action={signOutAction} className="pt-2">
          <SignOutButton label={t("common.signOut")} />
        </form>
      </div>
    </div>
  );
}

function SignOutButton({ label }: { label: string }) {
  const { pending } = useFormStatus();
  return (
    <PendingSubmitButton
      pending={pending}
      className="flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left text-sm hover:bg-zinc-100 aria-disabled:opacity-70 dark:hover:bg-zinc-800"
    >
      {pending ? <Spinner /> : null}
      {label}
    </PendingSubmitButton>
  );
}
