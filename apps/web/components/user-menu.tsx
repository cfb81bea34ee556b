"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";
import { useFormStatus } from "react-dom";
import { signOutAction } from "@/app/actions/auth";
import { trpc } from "@/lib/trpc/react";
import { Spinner } from "./form";

interface UserMenuProps {
  /** From the session cookie, shown until `account.me` answers. */
  fallbackEmail: string | null | undefined;
}

function initialsOf(text: string): string {
  const words = text.split(/[\s@._-]+/).filter(Boolean);
  return ((words[0]?.[0] ?? "?") + (words[1]?.[0] ?? "")).toUpperCase();
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
        aria-label={t("userMenu.open")}
        onClick={() => setOpen((v) => !v)}
        className="grid size-9 place-items-center rounded-full bg-zinc-200 text-sm font-semibold text-zinc-800 hover:bg-zinc-300 dark:bg-zinc-800 dark:text-zinc-100 dark:hover:bg-zinc-700"
      >
        <span aria-hidden="true">{initialsOf(name ?? email)}</span>
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
    <button
      type="submit"
      aria-disabled={pending}
      onClick={(event) => {
        if (pending) event.preventDefault();
      }}
      className="flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left text-sm hover:bg-zinc-100 aria-disabled:opacity-70 dark:hover:bg-zinc-800"
    >
      {pending ? <Spinner /> : null}
      {label}
    </button>
  );
}
