import type { Locale } from "./i18n/config";
import type messages from "./messages/en.json";

declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    // English is the reference catalogue: a key missing there fails type-checking.
    Messages: typeof messages;
  }
}
