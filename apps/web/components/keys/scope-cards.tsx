"use client";

import { useTranslations } from "next-intl";
import { SCOPES, type KeyScope } from "./types";

const GRANTS: Record<KeyScope, readonly string[]> = {
  read_only: ["listTwins", "readConversations", "messageHistory"],
  full_access: ["allOfReadOnly", "createConversations", "sendMessages"],
};

/**
 * The two scopes as selectable cards, in the seed's words: what each grants and its limit.
 * A radio group underneath, so arrow keys move between the cards.
 */
export function ScopeCards({ value, onChange, name }: { value: KeyScope; onChange: (scope: KeyScope) => void; name: string }) {
  const t = useTranslations("scopes");
  const tk = useTranslations("keys.create");
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1.5 text-sm font-medium">{tk("scopeLabel")}</legend>
      <div className="grid gap-3 sm:grid-cols-2">
        {SCOPES.map((scope) => {
          const checked = value === scope;
          return (
            <label
              key={scope}
              data-testid={`scope-card-${scope}`}
              className={`relative flex cursor-pointer flex-col gap-2 rounded-lg border p-3.5 text-sm transition-colors has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-brand-500 ${
                checked
                  ? "border-brand-600 bg-brand-50/70 ring-1 ring-brand-600 dark:border-brand-500 dark:bg-brand-700/15 dark:ring-brand-500"
                  : "border-zinc-300 hover:border-zinc-400 dark:border-zinc-700 dark:hover:border-zinc-500"
              }`}
            >
              <span className="flex items-center justify-between gap-2">
                <span className="flex items-center gap-2">
                  <input
                    type="radio"
                    name={name}
                    value={scope}
                    checked={checked}
                    onChange={() => onChange(scope)}
                    className="size-4 accent-brand-600"
                    aria-describedby={`${name}-${scope}-grants`}
                  />
                  <span className="font-semibold">{t(`${scope}.title`)}</span>
                </span>
                <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">{scope}</code>
              </span>
              <span id={`${name}-${scope}-grants`} className="flex flex-col gap-1.5">
                <ul className="flex flex-col gap-1 text-zinc-700 dark:text-zinc-300">
                  {GRANTS[scope].map((grant) => (
                    <li key={grant} className="flex gap-2">
                      <svg aria-hidden="true" viewBox="0 0 20 20" className="mt-0.5 size-4 shrink-0 text-emerald-600 dark:text-emerald-400" fill="currentColor">
                        <path fillRule="evenodd" d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.6l7.3-7.3a1 1 0 0 1 1.4 0Z" clipRule="evenodd" />
                      </svg>
                      {t(`${scope}.grants.${grant}` as "read_only.grants.listTwins")}
                    </li>
                  ))}
                </ul>
                <span className="mt-1 inline-flex w-fit rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-medium text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">
                  {t(`${scope}.limit`)}
                </span>
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
