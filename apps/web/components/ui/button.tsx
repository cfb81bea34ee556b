/**
 * Shared UI primitive (portal-wide; other sections may use it): buttons in the portal's styles.
 * While `pending`, the button stays focusable (aria-disabled) so keyboard focus is not lost, and
 * clicks are ignored.
 */
"use client";

import type { ButtonHTMLAttributes } from "react";
import { Spinner } from "@/components/form";

type Variant = "primary" | "secondary" | "danger" | "ghost";

const variants: Record<Variant, string> = {
  primary: "bg-brand-600 text-white hover:bg-brand-700 shadow-xs",
  secondary:
    "border border-zinc-300 bg-white text-zinc-900 hover:bg-zinc-50 shadow-xs dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800",
  danger: "bg-red-700 text-white hover:bg-red-800 shadow-xs dark:bg-red-600 dark:hover:bg-red-700",
  ghost: "text-zinc-700 hover:bg-zinc-100 hover:text-zinc-950 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white",
};

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: "sm" | "md";
  pending?: boolean;
}

export function Button({ variant = "secondary", size = "md", pending = false, disabled, className, onClick, children, type = "button", ...rest }: ButtonProps) {
  const inactive = pending || disabled;
  return (
    <button
      type={type}
      aria-disabled={inactive || undefined}
      aria-busy={pending || undefined}
      onClick={(event) => {
        if (inactive) {
          event.preventDefault();
          return;
        }
        onClick?.(event);
      }}
      className={`inline-flex items-center justify-center gap-2 rounded-md font-medium whitespace-nowrap aria-disabled:cursor-not-allowed aria-disabled:opacity-60 ${
        size === "sm" ? "px-2.5 py-1.5 text-xs" : "px-4 py-2 text-sm"
      } ${variants[variant]} ${className ?? ""}`}
      {...rest}
    >
      {pending ? <Spinner /> : null}
      {children}
    </button>
  );
}
