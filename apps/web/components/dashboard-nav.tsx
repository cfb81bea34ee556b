"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useRef } from "react";

const items = [
  { href: "/dashboard/keys", key: "keys" },
  { href: "/dashboard/usage", key: "usage" },
  { href: "/dashboard/tokens", key: "tokens" },
  { href: "/dashboard/docs", key: "docs" },
  { href: "/dashboard/activity", key: "activity" },
] as const;

/** A column on wide screens, a scrollable row of tabs on phones. */
export function DashboardNav() {
  const t = useTranslations("nav");
  const pathname = usePathname();
  const navRef = useRef<HTMLElement>(null);

  useEffect(() => {
    // On phones the tabs scroll sideways: keep the current one in view, also after a rotation.
    function reveal() {
      const nav = navRef.current;
      const current = nav?.querySelector<HTMLElement>('[aria-current="page"]');
      if (!nav || !current || nav.scrollWidth <= nav.clientWidth) return;
      nav.scrollLeft = current.offsetLeft - (nav.clientWidth - current.offsetWidth) / 2;
    }
    reveal();
    window.addEventListener("resize", reveal);
    return () => window.removeEventListener("resize", reveal);
  }, [pathname]);

  return (
    <nav ref={navRef} aria-label={t("label")} className="relative -mx-4 overflow-x-auto px-4 md:mx-0 md:overflow-visible md:px-0">
      {/* Vertical padding keeps focus outlines clear of the scroll container's clipping edge. */}
      <ul className="flex gap-1 py-1 md:flex-col md:py-0">
        {items.map((item) => {
          const current = pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <li key={item.href} className="shrink-0">
              <Link
                href={item.href}
                aria-current={current ? "page" : undefined}
                className={`block rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap ${
                  current
                    ? "bg-brand-50 text-brand-700 dark:bg-brand-700/25 dark:text-brand-100"
                    : "text-zinc-700 hover:bg-zinc-100 hover:text-zinc-950 dark:text-zinc-300 dark:hover:bg-zinc-800/70 dark:hover:text-white"
                }`}
              >
                {t(item.key)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
