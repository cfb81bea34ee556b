/** Locales of the portal. URLs carry no locale: it comes from a cookie or the browser. */
export const locales = ["en", "vi"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "en";

/** Remembers the reader's choice from the language switch (next-intl's conventional name). */
export const LOCALE_COOKIE = "NEXT_LOCALE";
/** One year: a language choice is long-lived. */
export const LOCALE_COOKIE_MAX_AGE = 60 * 60 * 24 * 365;

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}
