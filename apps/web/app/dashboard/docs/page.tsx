import { getTranslations } from "next-intl/server";
import { BookIcon } from "@/components/icons";
import { PlaceholderPage, placeholderMetadata } from "@/components/placeholder-page";

export const generateMetadata = () => placeholderMetadata("docs");

function CodeBlock({ children }: { children: string }) {
  return (
    <pre
      // Focusable so keyboard users can scroll a line wider than a phone.
      tabIndex={0}
      className="overflow-x-auto rounded-lg bg-zinc-950 px-4 py-3 font-mono text-xs text-zinc-100 sm:text-sm dark:border dark:border-zinc-800"
    >
      <code>{children}</code>
    </pre>
  );
}

export default async function DocsPage() {
  const t = await getTranslations("pages.docs");
  return (
    <PlaceholderPage section="docs" icon={<BookIcon />}>
      <section aria-labelledby="auth-heading" className="flex flex-col gap-3 rounded-xl border border-zinc-200 p-5 dark:border-zinc-800">
        <h2 id="auth-heading" className="text-lg font-semibold">
          {t("authHeading")}
        </h2>
        <p className="text-sm text-zinc-700 dark:text-zinc-300">{t("authBody")}</p>
        <CodeBlock>Authorization: Bearer YOUR_API_KEY</CodeBlock>
        <p className="text-sm text-zinc-700 dark:text-zinc-300">{t("authAlt")}</p>
        <CodeBlock>X-API-Key: YOUR_API_KEY</CodeBlock>
      </section>
    </PlaceholderPage>
  );
}
