/**
 * Shared UI primitive (portal-wide; other sections may use it): copies a text to the clipboard
 * and says so, visibly and to screen readers. Falls back to selecting a hidden textarea where
 * the Clipboard API is unavailable (plain HTTP on another host name).
 */
"use client";

import { useEffect, useState } from "react";
import { Button } from "./button";

interface CopyButtonProps {
  text: string;
  label: string;
  copiedLabel: string;
  /** Accessible name when the visible label alone is ambiguous ("Copy API key"). */
  ariaLabel?: string;
  onCopied?: () => void;
  variant?: "primary" | "secondary";
  size?: "sm" | "md";
}

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  document.execCommand("copy");
  area.remove();
}

export function CopyButton({ text, label, copiedLabel, ariaLabel, onCopied, variant = "secondary", size = "md" }: CopyButtonProps) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2500);
    return () => clearTimeout(timer);
  }, [copied]);

  return (
    <>
      <Button
        variant={variant}
        size={size}
        aria-label={ariaLabel}
        onClick={async () => {
          try {
            await copyText(text);
            setCopied(true);
            onCopied?.();
          } catch {
            setCopied(false);
          }
        }}
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="currentColor">
          {copied ? (
            <path fillRule="evenodd" d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.6l7.3-7.3a1 1 0 0 1 1.4 0Z" clipRule="evenodd" />
          ) : (
            <path d="M7 3a2 2 0 0 0-2 2v1H4a2 2 0 0 0-2 2v7a2 2 0 0 0 2 2h7a2 2 0 0 0 2-2v-1h1a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2H7Zm6 11v1H4V8h1v4a2 2 0 0 0 2 2h6Zm1-2H7V5h7v7Z" />
          )}
        </svg>
        {copied ? copiedLabel : label}
      </Button>
      <span role="status" className="sr-only">
        {copied ? copiedLabel : ""}
      </span>
    </>
  );
}
