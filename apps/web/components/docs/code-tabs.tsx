"use client";

import { useTranslations } from "next-intl";
import { createContext, useCallback, useContext, useEffect, useId, useRef, useState, useSyncExternalStore, type KeyboardEvent, type ReactNode } from "react";

export interface CodeSample {
  /** Stable id of the language ("javascript", "curl", "python"). */
  id: string;
  /** Tab label: the language's name. */
  label: string;
  /** The language the code is highlighted as (data-language of the block). */
  language: string;
  code: string;
  /** Highlighted HTML from the server. */
  html: string;
}

const STORAGE_KEY = "twx-docs-language";
const DEFAULT_LANGUAGE = "javascript";

/** Used when the browser refuses storage (private modes): the choice lasts for this page. */
let memoryLanguage: string | undefined;
const languageListeners = new Set<() => void>();

function subscribeToLanguage(listener: () => void): () => void {
  languageListeners.add(listener);
  // Another tab's choice applies here too.
  window.addEventListener("storage", listener);
  return () => {
    languageListeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

function readSavedLanguage(): string {
  try {
    return window.localStorage.getItem(STORAGE_KEY) ?? memoryLanguage ?? DEFAULT_LANGUAGE;
  } catch {
    return memoryLanguage ?? DEFAULT_LANGUAGE;
  }
}

const LanguageContext = createContext<{ language: string; setLanguage: (id: string) => void } | null>(null);

/** Every tab group on the page follows the last language chosen, remembered in this browser. */
export function DocsLanguageProvider({ children }: { children: ReactNode }) {
  // The server renders the default; the browser then follows what it remembers.
  const language = useSyncExternalStore(subscribeToLanguage, readSavedLanguage, () => DEFAULT_LANGUAGE);
  const setLanguage = useCallback((id: string) => {
    try {
      window.localStorage.setItem(STORAGE_KEY, id);
    } catch {
      // Not remembered across visits; still switched for this page.
      memoryLanguage = id;
    }
    for (const listener of languageListeners) listener();
  }, []);
  return <LanguageContext.Provider value={{ language, setLanguage }}>{children}</LanguageContext.Provider>;
}

export function CopyButton({ text, className = "" }: { text: string; className?: string }) {
  const t = useTranslations("docs");
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <button
      type="button"
      onClick={() => {
        navigator.clipboard.writeText(text).then(
          () => setState("copied"),
          () => setState("failed"),
        );
      }}
      className={`rounded-md border border-zinc-600 bg-zinc-900 px-2 py-1 text-xs font-medium text-zinc-100 hover:bg-zinc-800 ${className}`}
    >
      <span aria-live="polite">{state === "copied" ? t("copied") : state === "failed" ? t("copyFailed") : t("copy")}</span>
    </button>
  );
}

/** WAI-ARIA tabs: arrow keys, Home and End move between languages; the panel follows. */
export function CodeTabs({ samples, label }: { samples: CodeSample[]; label: string }) {
  const context = useContext(LanguageContext);
  const [local, setLocal] = useState(samples[0]?.id ?? "");
  const selected = samples.some((s) => s.id === context?.language) ? context!.language : local;
  const select = (id: string) => (context ? context.setLanguage(id) : setLocal(id));
  const baseId = useId();
  const tabs = useRef<Array<HTMLButtonElement | null>>([]);

  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>, index: number) {
    let next = -1;
    if (event.key === "ArrowRight") next = (index + 1) % samples.length;
    else if (event.key === "ArrowLeft") next = (index - 1 + samples.length) % samples.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = samples.length - 1;
    if (next < 0) return;
    event.preventDefault();
    select(samples[next]!.id);
    tabs.current[next]?.focus();
  }

  return (
    <div className="overflow-hidden rounded-lg border border-zinc-800 bg-[#0d1117]">
      <div className="flex items-center justify-between gap-2 border-b border-zinc-800 px-2">
        <div role="tablist" aria-label={label} className="flex overflow-x-auto">
          {samples.map((sample, index) => {
            const active = sample.id === selected;
            return (
              <button
                key={sample.id}
                ref={(el) => {
                  tabs.current[index] = el;
                }}
                type="button"
                role="tab"
                id={`${baseId}-tab-${sample.id}`}
                aria-selected={active}
                aria-controls={`${baseId}-panel-${sample.id}`}
                tabIndex={active ? 0 : -1}
                onClick={() => select(sample.id)}
                onKeyDown={(event) => onKeyDown(event, index)}
                className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap ${
                  active ? "border-brand-500 text-white" : "border-transparent text-zinc-300 hover:text-white"
                }`}
              >
                {sample.label}
              </button>
            );
          })}
        </div>
        <CopyButton text={samples.find((s) => s.id === selected)?.code ?? ""} />
      </div>
      {samples.map((sample) => (
        <div
          key={sample.id}
          role="tabpanel"
          id={`${baseId}-panel-${sample.id}`}
          aria-labelledby={`${baseId}-tab-${sample.id}`}
          hidden={sample.id !== selected}
          data-language={sample.language}
          className="text-xs sm:text-sm [&_pre]:overflow-x-auto [&_pre]:p-4 [&_pre]:bg-transparent!"
          dangerouslySetInnerHTML={{ __html: sample.html }}
        />
      ))}
    </div>
  );
}

/** One highlighted block with a copy button (JSON examples). */
export function CodeBlock({ code, html, language }: { code: string; html: string; language: string }) {
  return (
    <div className="relative overflow-hidden rounded-lg border border-zinc-800 bg-[#0d1117]">
      <CopyButton text={code} className="absolute top-2 right-2" />
      <div data-language={language} className="text-xs sm:text-sm [&_pre]:overflow-x-auto [&_pre]:p-4 [&_pre]:pr-20 [&_pre]:bg-transparent!" dangerouslySetInnerHTML={{ __html: html }} />
    </div>
  );
}
