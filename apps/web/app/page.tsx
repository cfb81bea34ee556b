const scopes = [
  {
    scope: "read_only",
    title: "Read only",
    limit: "200 requests / hour",
    grants: ["List twins", "Read conversation information", "View message history"],
  },
  {
    scope: "full_access",
    title: "Full access",
    limit: "500 requests / hour",
    grants: ["Everything read only grants", "Create new conversations", "Send messages"],
  },
] as const;

export default function HomePage() {
  return (
    <main className="mx-auto flex max-w-4xl flex-col gap-12 px-6 py-16">
      <header className="flex flex-col gap-4">
        <p className="font-mono text-sm text-brand-600 dark:text-brand-100">api.twinexpert</p>
        <h1 className="text-4xl font-semibold tracking-tight sm:text-5xl">TwinExpert API</h1>
        <p className="max-w-2xl text-lg text-zinc-600 dark:text-zinc-400">
          Talk to digital twins of real experts from your own app. Create an API key, pick its scope, and call
          the REST API with <code className="font-mono text-base">Authorization: Bearer</code> or{" "}
          <code className="font-mono text-base">X-API-Key</code>.
        </p>
      </header>

      <section aria-labelledby="scopes-heading" className="flex flex-col gap-4">
        <h2 id="scopes-heading" className="text-xl font-semibold">
          Scopes
        </h2>
        <ul className="grid gap-4 sm:grid-cols-2">
          {scopes.map((s) => (
            <li key={s.scope} className="rounded-xl border border-zinc-200 p-5 dark:border-zinc-800">
              <div className="flex items-baseline justify-between gap-2">
                <h3 className="font-medium">{s.title}</h3>
                <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-900">{s.scope}</code>
              </div>
              <ul className="mt-3 list-inside list-disc text-sm text-zinc-600 dark:text-zinc-400">
                {s.grants.map((g) => (
                  <li key={g}>{g}</li>
                ))}
              </ul>
              <p className="mt-3 text-sm font-medium">{s.limit}</p>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="security-heading" className="rounded-xl border border-amber-300 bg-amber-50 p-5 dark:border-amber-700 dark:bg-amber-950/40">
        <h2 id="security-heading" className="font-semibold text-amber-900 dark:text-amber-200">
          Keep your API key secret
        </h2>
        <p className="mt-1 text-sm text-amber-900 dark:text-amber-200">
          Your API key has access to your data. Keep it secret and do not share it in client-side code.
        </p>
      </section>
    </main>
  );
}
