/**
 * The API reference, shared by `/dashboard/docs` and the public `/docs`: a quickstart with code
 * tabs, the twins the reader may use, every endpoint of the OpenAPI document, and the error codes.
 * Signed in, the examples carry the start of the reader's newest active key (never a secret).
 */
import { ERROR_CODES } from "@twx/rest";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Fragment, type ReactNode } from "react";
import { CodeBlock, CodeTabs, DocsLanguageProvider, type CodeSample } from "./code-tabs";
import { highlight } from "./highlight";
import { loadDocument, type DocOperation } from "./openapi";
import { curlSnippet, javascriptSnippet, pythonSnippet, type SnippetRequest } from "./snippets";

export const SECRET_PLACEHOLDER = "<rest-of-your-key>";

export interface DocsReader {
  signedIn: boolean;
  /** The reader's newest active key, if any. */
  key: { name: string; start: string } | null;
  twins: Array<{ id: string; name: string; expertise: string }>;
  moreTwins: number;
}

const METHOD_STYLES: Record<string, string> = {
  GET: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200",
  POST: "bg-blue-100 text-blue-900 dark:bg-blue-900/40 dark:text-blue-200",
  PATCH: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200",
  DELETE: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200",
};

/** `code` and **bold** inside OpenAPI descriptions; everything else is text. */
function Inline({ text }: { text: string }) {
  const parts = text.split(/(`[^`]+`|\*\*[^*]+\*\*)/g);
  return (
    <>
      {parts.map((part, i) =>
        part.startsWith("`") && part.endsWith("`") && part.length > 1 ? (
          <code key={i} className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-[0.85em] dark:bg-zinc-800">
            {part.slice(1, -1)}
          </code>
        ) : part.startsWith("**") && part.endsWith("**") && part.length > 3 ? (
          <strong key={i}>{part.slice(2, -2)}</strong>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}

function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/\n{2,}/)
        .filter(Boolean)
        .map((p, i) => (
          <p key={i} className="text-sm text-zinc-700 dark:text-zinc-300">
            <Inline text={p.replace(/\n/g, " ")} />
          </p>
        ))}
    </>
  );
}

async function samplesFor(request: SnippetRequest): Promise<CodeSample[]> {
  const variants = [
    { id: "javascript", label: "JavaScript", language: "javascript" as const, code: javascriptSnippet(request) },
    { id: "curl", label: "cURL", language: "shellscript" as const, code: curlSnippet(request) },
    { id: "python", label: "Python", language: "python" as const, code: pythonSnippet(request) },
  ];
  return Promise.all(variants.map(async (v) => ({ ...v, html: await highlight(v.code, v.language) })));
}

async function jsonBlock(value: unknown) {
  const code = JSON.stringify(value, null, 2);
  return <CodeBlock code={code} html={await highlight(code, "json")} language="json" />;
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} id={id} className="flex scroll-mt-20 flex-col gap-3 rounded-xl border border-zinc-200 p-4 sm:p-5 dark:border-zinc-800">
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

export async function DocsReference({ baseUrl, reader, keysHref }: { baseUrl: string; reader: DocsReader; keysHref: string }) {
  const t = await getTranslations("docs");
  const tTwins = await getTranslations("twins");
  const tScopes = await getTranslations("scopes");
  const document = loadDocument();
  const keyValue = reader.key ? `${reader.key.start}${SECRET_PLACEHOLDER}` : `twx_<your-api-key>`;
  const apiBase = `${baseUrl}/api/v1`;
  const exampleTwinId = reader.twins[0]?.id;

  function requestFor(op: DocOperation): SnippetRequest {
    const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (op.path.startsWith("/twins/") && exampleTwinId) return exampleTwinId;
      const example = op.parameters.find((p) => p.name === name)?.example;
      return typeof example === "string" ? example : op.path.startsWith("/conversations/") ? "<conversation-id>" : `<${name}>`;
    });
    let body = op.requestExample;
    if (body && typeof body === "object" && "twinId" in body && exampleTwinId) body = { ...body, twinId: exampleTwinId };
    return {
      method: op.method,
      url: `${apiBase}${path}`,
      credential:
        op.auth.kind === "api_key"
          ? { kind: "api_key", value: keyValue }
          : op.auth.kind === "user_token"
            ? { kind: "user_token", value: "<your-access-token>" }
            : null,
      ...(body !== undefined ? { body } : {}),
    };
  }

  function scopeText(op: DocOperation): string {
    if (op.auth.kind === "api_key") return t("scopeApiKey", { scope: op.auth.scope });
    if (op.auth.kind === "user_token") return t("scopeUserToken");
    return t("scopeNone");
  }

  function limitText(limit: DocOperation["rateLimits"][number]): string {
    const window = limit.window.includes("minute") ? t("windowMinute") : t("windowHour");
    const per = limit.per === "user" ? t("perUser") : t("perApiKey");
    return limit.scope
      ? t("rateLimitScoped", { scope: limit.scope, limit: limit.limit, window, per })
      : t("rateLimitEntry", { limit: limit.limit, window, per });
  }

  const quickstart = await samplesFor({ method: "GET", url: `${apiBase}/twins`, credential: { kind: "api_key", value: keyValue } });
  const operations = await Promise.all(
    document.operations.map(async (op) => ({
      op,
      samples: await samplesFor(requestFor(op)),
      request: op.requestExample !== undefined ? await jsonBlock(op.requestExample) : null,
      response: op.responseExample !== undefined ? await jsonBlock(op.responseExample) : null,
    })),
  );

  const keyNote = reader.key
    ? t("yourKey", {
        name: reader.key.name,
        start: reader.key.start,
        placeholder: SECRET_PLACEHOLDER,
      })
    : null;

  return (
    <DocsLanguageProvider>
      <nav aria-labelledby="docs-toc-heading" className="rounded-xl border border-zinc-200 p-4 text-sm dark:border-zinc-800">
        <h2 id="docs-toc-heading" className="mb-2 font-semibold">
          {t("onThisPage")}
        </h2>
        <ul className="grid gap-1 sm:grid-cols-2">
          <li>
            <a className="text-brand-600 underline-offset-2 hover:underline dark:text-brand-100" href="#quickstart">
              {t("quickstartTitle")}
            </a>
          </li>
          {reader.signedIn ? (
            <li>
              <a className="text-brand-600 underline-offset-2 hover:underline dark:text-brand-100" href="#twins">
                {tTwins("title")}
              </a>
            </li>
          ) : null}
          {document.operations.map((op) => (
            <li key={op.id}>
              <a className="text-brand-600 underline-offset-2 hover:underline dark:text-brand-100" href={`#${op.id}`}>
                <span className="font-mono text-xs">{op.method}</span> {op.path}
              </a>
            </li>
          ))}
          <li>
            <a className="text-brand-600 underline-offset-2 hover:underline dark:text-brand-100" href="#error-codes">
              {t("errorCodesTitle")}
            </a>
          </li>
        </ul>
      </nav>

      <Section id="quickstart" title={t("quickstartTitle")}>
        <ol className="flex list-decimal flex-col gap-3 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
          <li>
            {t("quickstartStep1")}{" "}
            {reader.signedIn ? (
              <Link href={keysHref} className="font-medium text-brand-600 underline underline-offset-2 dark:text-brand-100">
                {t("createKey")}
              </Link>
            ) : null}
          </li>
          <li>
            <div className="flex flex-col gap-3">
            <span>{t("quickstartStep2")}</span>
            <p data-testid="docs-key-note" className="rounded-lg bg-brand-50 px-3 py-2 text-sm text-zinc-800 dark:bg-brand-700/20 dark:text-zinc-100">
              {!reader.signedIn ? (
                <>
                  {t("signedOut")}{" "}
                  <Link href="/sign-in?callbackUrl=%2Fdashboard%2Fdocs" className="font-medium underline underline-offset-2">
                    {t("signInLink")}
                  </Link>
                </>
              ) : reader.key ? (
                keyNote
              ) : (
                <>
                  {t("noKey")}{" "}
                  <Link href={keysHref} className="font-medium underline underline-offset-2">
                    {t("createKey")}
                  </Link>
                </>
              )}
            </p>
            <CodeTabs samples={quickstart} label={t("examples")} />
            </div>
          </li>
          <li>{t("quickstartStep3")}</li>
        </ol>
        <p className="text-sm text-zinc-700 dark:text-zinc-300">{t("rateLimitHeaders")}</p>
        <p className="text-sm">
          <a href="/api/v1/openapi.json" className="font-medium text-brand-600 underline underline-offset-2 dark:text-brand-100">
            {t("openapi")}
          </a>
        </p>
      </Section>

      {reader.signedIn ? (
        <Section id="twins" title={tTwins("title")}>
          <p className="text-sm text-zinc-700 dark:text-zinc-300">{tTwins("description")}</p>
          {reader.twins.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">{tTwins("empty")}</p>
          ) : (
            <ul className="flex flex-col divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
              {reader.twins.map((twin) => (
                <li key={twin.id} className="flex flex-col gap-0.5 py-2 sm:flex-row sm:items-baseline sm:justify-between sm:gap-4">
                  <span>
                    <span className="font-medium">{twin.name}</span> <span className="text-zinc-600 dark:text-zinc-400">· {twin.expertise}</span>
                  </span>
                  <code className="font-mono text-xs break-all text-zinc-700 dark:text-zinc-300">{twin.id}</code>
                </li>
              ))}
            </ul>
          )}
          {reader.moreTwins > 0 ? <p className="text-sm text-zinc-600 dark:text-zinc-400">{tTwins("more", { count: reader.moreTwins })}</p> : null}
        </Section>
      ) : null}

      <h2 className="mt-2 text-xl font-semibold tracking-tight">{t("endpoints")}</h2>
      {operations.map(({ op, samples, request, response }) => (
        <section key={op.id} id={op.id} aria-labelledby={`${op.id}-heading`} className="flex scroll-mt-20 flex-col gap-4 rounded-xl border border-zinc-200 p-4 sm:p-5 dark:border-zinc-800" data-testid="docs-endpoint">
          <div className="flex flex-col gap-2">
            <h3 id={`${op.id}-heading`} className="flex flex-wrap items-center gap-2 text-base font-semibold">
              <span className={`rounded px-2 py-0.5 font-mono text-xs font-bold ${METHOD_STYLES[op.method] ?? "bg-zinc-100 dark:bg-zinc-800"}`}>{op.method}</span>
              <code className="font-mono text-sm break-all">/api/v1{op.path}</code>
            </h3>
            <p className="font-medium">{op.summary}</p>
            <Paragraphs text={op.description} />
          </div>
          <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
            <dt className="font-medium text-zinc-600 dark:text-zinc-400">{t("scope")}</dt>
            <dd data-testid="docs-scope">
              {op.auth.kind === "api_key" ? (
                <>
                  {scopeText(op)} <span className="text-zinc-600 dark:text-zinc-400">({tScopes(`${op.auth.scope as "read_only" | "full_access"}.title`)})</span>
                </>
              ) : (
                scopeText(op)
              )}
            </dd>
            <dt className="font-medium text-zinc-600 dark:text-zinc-400">{t("rateLimit")}</dt>
            <dd data-testid="docs-rate-limit">
              {op.rateLimits.length === 0 ? t("rateLimitNone") : op.rateLimits.map((l) => <span key={`${l.scope}-${l.limit}`} className="block">{limitText(l)}</span>)}
            </dd>
          </dl>
          {op.parameters.length > 0 ? (
            <div className="flex flex-col gap-2">
              <h4 className="text-sm font-semibold">{t("parameters")}</h4>
              <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={`${t("parameters")}: ${op.method} ${op.path}`}>
                <table className="w-full min-w-[32rem] text-left text-sm">
                  <thead className="text-xs text-zinc-600 uppercase dark:text-zinc-400">
                    <tr>
                      <th scope="col" className="py-1 pr-3 font-medium">{t("paramName")}</th>
                      <th scope="col" className="py-1 pr-3 font-medium">{t("paramIn")}</th>
                      <th scope="col" className="py-1 pr-3 font-medium">{t("paramType")}</th>
                      <th scope="col" className="py-1 font-medium">{t("paramDescription")}</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
                    {op.parameters.map((p) => (
                      <tr key={`${p.in}-${p.name}`}>
                        <td className="py-1.5 pr-3 align-top">
                          <code className="font-mono">{p.name}</code>
                          <span className="block text-xs text-zinc-600 dark:text-zinc-400">{p.required ? t("required") : t("optional")}</span>
                        </td>
                        <td className="py-1.5 pr-3 align-top">{p.in}</td>
                        <td className="py-1.5 pr-3 align-top font-mono text-xs">{p.type}</td>
                        <td className="py-1.5 align-top text-zinc-700 dark:text-zinc-300">
                          <Inline text={p.description} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          ) : null}
          <div className="flex flex-col gap-2">
            <h4 className="text-sm font-semibold">{t("examples")}</h4>
            <CodeTabs samples={samples} label={`${t("examples")}: ${op.method} ${op.path}`} />
          </div>
          {request ? (
            <div className="flex flex-col gap-2">
              <h4 className="text-sm font-semibold">{t("requestBody")}</h4>
              {request}
            </div>
          ) : null}
          {response ? (
            <div className="flex flex-col gap-2">
              <h4 className="text-sm font-semibold">{t("response", { status: op.successStatus })}</h4>
              {response}
            </div>
          ) : null}
          {op.errors.length > 0 ? (
            <div className="flex flex-col gap-2">
              <h4 className="text-sm font-semibold">{t("errors")}</h4>
              <ul className="flex flex-col gap-1 text-sm">
                {op.errors.map((e) => (
                  <li key={`${e.status}-${e.code}`} className="flex flex-wrap items-baseline gap-x-2">
                    <span className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{e.status}</span>
                    <code className="font-mono text-xs font-semibold">{e.code}</code>
                    <span className="text-zinc-700 dark:text-zinc-300">{e.message}</span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </section>
      ))}

      <Section id="error-codes" title={t("errorCodesTitle")}>
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          {t.rich("errorCodesBody", {
            envelope: () => <code className="font-mono text-xs">{`{ "success": false, "error": { "code", "message" } }`}</code>,
          })}
        </p>
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={t("errorCodesTitle")}>
          <table className="w-full min-w-[28rem] text-left text-sm">
            <thead className="text-xs text-zinc-600 uppercase dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-1 pr-3 font-medium">{t("errorStatus")}</th>
                <th scope="col" className="py-1 pr-3 font-medium">{t("errorCode")}</th>
                <th scope="col" className="py-1 font-medium">{t("errorMeaning")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {Object.entries(ERROR_CODES).map(([code, info]) => (
                <tr key={code}>
                  <td className="py-1.5 pr-3 align-top font-mono text-xs">{info.status}</td>
                  <td className="py-1.5 pr-3 align-top">
                    <code className="font-mono text-xs">{code}</code>
                  </td>
                  <td className="py-1.5 align-top text-zinc-700 dark:text-zinc-300">
                    <Inline text={info.description} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
    </DocsLanguageProvider>
  );
}
