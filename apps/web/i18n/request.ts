import { getRequestConfig } from "next-intl/server";
import { cookies, headers } from "next/headers";
import { LOCALE_COOKIE } from "./config";
import { resolveLocale } from "./negotiate";

export default getRequestConfig(async () => {
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  const locale = resolveLocale(cookieStore.get(LOCALE_COOKIE)?.value, headerList.get("accept-language"));
  return {
    locale,
    messages: (await import(`../messages/${locale}.json`)).default,
    // Dates render in the portal's own zone until users can pick theirs.
    timeZone: "UTC",
  };
});
