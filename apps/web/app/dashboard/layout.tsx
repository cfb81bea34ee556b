import type { ReactNode } from "react";
import { redirect } from "next/navigation";
import { auth } from "@/auth";
import { DashboardNav } from "@/components/dashboard-nav";
import { LanguageSwitcher } from "@/components/language-switcher";
import { Logo } from "@/components/logo";
import { SkipLink } from "@/components/skip-link";
import { UserMenu } from "@/components/user-menu";

/** The signed-in portal. `proxy.ts` already redirects signed-out visitors; this is the backstop. */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const session = await auth();
  if (!session?.user) redirect("/sign-in");

  return (
    <>
      <SkipLink />
      <header className="sticky top-0 z-10 border-b border-zinc-200 bg-white/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/90">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-3 px-4 py-3 sm:px-6">
          <Logo href="/dashboard/keys" />
          <div className="flex items-center gap-3">
            <LanguageSwitcher />
            <UserMenu fallbackEmail={session.user.email} />
          </div>
        </div>
      </header>
      <div className="mx-auto flex max-w-6xl flex-col gap-6 px-4 py-4 sm:px-6 md:flex-row md:gap-10 md:py-8">
        <aside className="md:w-52 md:shrink-0">
          <DashboardNav />
        </aside>
        <main id="main" className="flex min-w-0 flex-1 flex-col gap-6 pb-12">
          {children}
        </main>
      </div>
    </>
  );
}
