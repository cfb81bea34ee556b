import type { ReactNode } from "react";
import { SiteHeader } from "@/components/site-header";
import { SkipLink } from "@/components/skip-link";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <SkipLink />
      <SiteHeader />
      <main id="main" className="mx-auto flex w-full max-w-md flex-col px-4 py-10 sm:py-16">
        {children}
      </main>
    </>
  );
}
