import { defaultLocale, isLocale, locales, type Locale } from "./config";

interface Preference {
  tag: string;
  q: number;
  order: number;
}

/** Parses an Accept-Language header into tags, best first (ties keep the header's order). */
function parseAcceptLanguage(header: string): Preference[] {
  return header
    .split(",")
    .map((part, order) => {
      const [rawTag = "", ...params] = part.trim().split(";");
      const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const q = qParam ? Number(qParam.slice(2)) : 1;
      return { tag: rawTag.trim().toLowerCase(), q: Number.isFinite(q) ? q : 0, order };
    })
    .filter((p) => p.tag !== "" && p.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
}

/**
 * The portal's locale for a request: a remembered choice wins, then the browser's languages
 * (`vi-VN` matches `vi`), then English.
 */
export function resolveLocale(cookieValue: string | undefined, acceptLanguage: string | null | undefined): Locale {
  if (isLocale(cookieValue)) return cookieValue;
  for (const { tag } of parseAcceptLanguage(acceptLanguage ?? "")) {
    if (tag === "*") return defaultLocale;
    const base = tag.split("-")[0];
    const match = locales.find((l) => l === tag || l === base);
    if (match) return match;
  }
  return defaultLocale;
}
