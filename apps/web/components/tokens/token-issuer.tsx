"use client";

import { useFormatter, useNow, useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, useSyncExternalStore } from "react";
import { FormAlert } from "@/components/form";
import { describeError } from "@/components/keys/errors";
import { SecurityWarning } from "@/components/keys/reveal-secret";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { trpc } from "@/lib/trpc/react";

const TTL_CHOICES = [
  { id: "15m", seconds: 900 },
  { id: "1h", seconds: 3_600 },
  { id: "8h", seconds: 28_800 },
  { id: "24h", seconds: 86_400 },
] as const;

type TtlChoice = (typeof TTL_CHOICES)[number]["id"];

/** The seed's example, ready to run against this deployment with the token just issued. */
function curlExample(origin: string, token: string): string {
  return [
    `curl -X POST "${origin}/api/v1/auth/api-keys" \\`,
    `  -H "Authorization: Bearer ${token}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '{ "name": "My App", "scope": "full_access" }'`,
  ].join("\n");
}

const noSubscription = () => () => {};

/**
 * Issues a short-lived access token (JWT) for the REST key-management endpoints. The token is
 * shown once, on this page only, until "Done" or leaving the page.
 */
export function TokenIssuer() {
  const t = useTranslations("tokens");
  const te = useTranslations("keys.errors");
  const format = useFormatter();
  const now = useNow({ updateInterval: 30_000 });
  const groupName = useId();
  const [ttl, setTtl] = useState<TtlChoice>("1h");
  // The curl example names this server; the server render uses the public API host.
  const origin = useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => "https://api.twinexpert.com",
  );
  const issue = trpc.tokens.issue.useMutation();
  const failure = describeError(issue.error, te);
  const issued = issue.data;

  const issuedHeading = useRef<HTMLHeadingElement>(null);

  // Move focus to the new token so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (issued) issuedHeading.current?.focus();
  }, [issued]);

  return (
    <div className="flex flex-col gap-6">
      <section aria-labelledby={`${groupName}-issue`} className="flex flex-col gap-4 rounded-xl border border-zinc-200 p-4 sm:p-5 dark:border-zinc-800">
        <div className="flex flex-col gap-1">
          <h2 id={`${groupName}-issue`} className="text-base font-semibold">
            {t("issueHeading")}
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("issueBody")}</p>
        </div>
        <form
          className="flex flex-col gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            if (issue.isPending) return;
            issue.mutate({ ttlSeconds: TTL_CHOICES.find((c) => c.id === ttl)!.seconds });
          }}
        >
          {failure ? <FormAlert>{failure.message}</FormAlert> : null}
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1.5 text-sm font-medium">{t("ttlLabel")}</legend>
            <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
              {TTL_CHOICES.map((choice) => (
                <label
                  key={choice.id}
                  className={`flex cursor-pointer items-center gap-2 rounded-lg border px-3 py-2 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-brand-500 ${
                    ttl === choice.id ? "border-brand-600 bg-brand-50/70 font-medium dark:border-brand-500 dark:bg-brand-700/15" : "border-zinc-300 dark:border-zinc-700"
                  }`}
                >
                  <input type="radio" name={groupName} value={choice.id} checked={ttl === choice.id} onChange={() => setTtl(choice.id)} className="size-4 accent-brand-600" />
                  {t(`ttl.${choice.id}`)}
                </label>
              ))}
            </div>
          </fieldset>
          <div>
            <Button type="submit" variant="primary" pending={issue.isPending}>
              {issue.isPending ? t("issuing") : t("issue")}
            </Button>
          </div>
        </form>
      </section>

      {issued ? (
        <section aria-labelledby={`${groupName}-issued`} data-testid="issued-token" className="flex flex-col gap-4 rounded-xl border border-brand-600/40 bg-brand-50/40 p-4 sm:p-5 dark:border-brand-500/40 dark:bg-brand-700/10">
          <div className="flex flex-col gap-1">
            <h2 id={`${groupName}-issued`} className="text-base font-semibold" tabIndex={-1} ref={issuedHeading}>
              {t("issuedHeading")}
            </h2>
            <p className="text-sm text-zinc-700 dark:text-zinc-300">
              {t("expires", {
                date: format.dateTime(issued.expiresAt, { dateStyle: "medium", timeStyle: "short" }),
                relative: format.relativeTime(issued.expiresAt, now),
              })}
            </p>
          </div>
          <SecurityWarning text={{ title: t("warningTitle"), body: t("warningBody"), onlyOnce: t("onlyOnce") }} />
          <div className="flex flex-col gap-1.5">
            <label htmlFor={`${groupName}-token`} className="text-sm font-medium">
              {t("tokenLabel")}
            </label>
            <textarea
              id={`${groupName}-token`}
              readOnly
              rows={4}
              value={issued.token}
              data-testid="token-value"
              spellCheck={false}
              onFocus={(event) => event.currentTarget.select()}
              className="w-full resize-none rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-xs break-all text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
            />
            <div>
              <CopyButton text={issued.token} label={t("copy")} copiedLabel={t("copied")} variant="primary" />
            </div>
          </div>
          <div className="flex flex-col gap-1.5">
            <h3 className="text-sm font-medium">{t("curlHeading")}</h3>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("curlBody")}</p>
            <pre className="rounded-md bg-zinc-950 p-3 font-mono text-xs leading-relaxed break-all whitespace-pre-wrap text-zinc-100 dark:border dark:border-zinc-800">
              <code data-testid="curl-example">{curlExample(origin, issued.token)}</code>
            </pre>
            <div>
              <CopyButton text={curlExample(origin, issued.token)} label={t("copyCurl")} copiedLabel={t("copied")} />
            </div>
          </div>
          <div className="flex justify-end">
            <Button onClick={() => issue.reset()}>{t("done")}</Button>
          </div>
        </section>
      ) : null}

      <section aria-labelledby={`${groupName}-about`} className="flex flex-col gap-2 text-sm text-zinc-700 dark:text-zinc-300">
        <h2 id={`${groupName}-about`} className="text-base font-semibold text-zinc-900 dark:text-zinc-100">
          {t("aboutHeading")}
        </h2>
        <ul className="list-disc space-y-1 pl-5">
          <li>{t("about.only")}</li>
          <li>{t("about.lifetime")}</li>
          <li>{t("about.notStored")}</li>
        </ul>
      </section>
    </div>
  );
}
