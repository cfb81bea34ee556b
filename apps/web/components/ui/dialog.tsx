/**
 * Shared UI primitive (portal-wide; other sections may use it): a modal dialog on the native
 * <dialog> element. `showModal()` makes the rest of the page inert (focus cannot leave the
 * dialog for the page behind it), Escape asks to close, and focus returns to the control that
 * opened it. Closing always goes through `onRequestClose`, so a dialog can refuse to close
 * (the key reveal does until the user confirms the key is saved).
 */
"use client";

import { useEffect, useId, useLayoutEffect, useRef, type ReactNode } from "react";

interface DialogProps {
  open: boolean;
  title: ReactNode;
  description?: ReactNode;
  /** Escape, the close button and a click on the backdrop; the parent decides. */
  onRequestClose: () => void;
  /** Label of the close (×) button, for screen readers. */
  closeLabel: string;
  children: ReactNode;
  /** `alertdialog` for confirmations of destructive actions. */
  role?: "dialog" | "alertdialog";
  size?: "md" | "lg";
  /** Passed to the <dialog> element, for tests and styling hooks. */
  testId?: string;
}

export function Dialog({ open, title, description, onRequestClose, closeLabel, children, role = "dialog", size = "md", testId }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();
  const descriptionId = useId();
  const requestClose = useRef(onRequestClose);
  // The latest handler, for the native dialog's listeners that are attached once.
  useLayoutEffect(() => {
    requestClose.current = onRequestClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
      if (opener.current instanceof HTMLElement && opener.current.isConnected) opener.current.focus();
    }
  }, [open]);

  // Unmounted while open (navigation): leave no modal state behind.
  useEffect(() => () => ref.current?.close(), []);

  return (
    <dialog
      ref={ref}
      role={role === "alertdialog" ? "alertdialog" : undefined}
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      data-testid={testId}
      onCancel={(event) => {
        // Escape: never close on our own, ask the parent.
        event.preventDefault();
        requestClose.current();
      }}
      onMouseDown={(event) => {
        // A press on the backdrop (the dialog element itself, outside its content box).
        if (event.target === ref.current) requestClose.current();
      }}
      className={`m-auto max-h-[calc(100dvh-2rem)] w-[calc(100%-1.5rem)] overflow-y-auto rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-2xl backdrop:bg-zinc-950/60 backdrop:backdrop-blur-[2px] dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 ${
        size === "lg" ? "max-w-2xl" : "max-w-lg"
      }`}
    >
      {open ? (
        <div className="flex flex-col gap-5 p-5 sm:p-6">
          <div className="flex items-start justify-between gap-4">
            <div className="flex min-w-0 flex-col gap-1">
              <h2 id={titleId} className="text-lg font-semibold tracking-tight break-words">
                {title}
              </h2>
              {description ? (
                <div id={descriptionId} className="text-sm text-zinc-600 dark:text-zinc-400">
                  {description}
                </div>
              ) : null}
            </div>
            <button
              type="button"
              onClick={() => requestClose.current()}
              aria-label={closeLabel}
              className="-mt-1 -mr-1 grid size-8 shrink-0 place-items-center rounded-md text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-white"
            >
              <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="currentColor">
                <path d="M5.3 4.3a1 1 0 0 0-1.4 1.4L8.6 10l-4.7 4.3a1 1 0 1 0 1.4 1.4l4.7-4.3 4.3 4.3a1 1 0 0 0 1.4-1.4L11.4 10l4.3-4.3a1 1 0 0 0-1.4-1.4L10 8.6 5.3 4.3Z" />
              </svg>
            </button>
          </div>
          {children}
        </div>
      ) : null}
    </dialog>
  );
}

/** The row of actions at the bottom of a dialog: stacked on phones, right-aligned otherwise. */
export function DialogActions({ children }: { children: ReactNode }) {
  return <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">{children}</div>;
}
