import type { TRPCClientErrorLike } from "@trpc/client";
import type { AppRouter, ErrorFacts, FieldErrors } from "@twx/api";

type ErrorMessage = "rateLimited" | "notFound" | "signedOut" | "keyLimit" | "checkFields" | "generic" | "network";
type Translate = (key: ErrorMessage, values?: Record<string, string | number>) => string;

export interface DescribedError {
  message: string;
  fieldErrors: Record<string, string[] | undefined>;
}

/**
 * A failed keys/tokens call as a sentence in the reader's language. Known cases are translated
 * from the error's code and the facts the server's error formatter adds (`reason`, a wait, a
 * limit); anything else shows the server's own (always readable) message.
 * `t` is the `keys.errors` translator.
 */
export function describeError(error: TRPCClientErrorLike<AppRouter> | null | undefined, t: Translate): DescribedError | null {
  if (!error) return null;
  const code = error.data?.code;
  const data = error.data as (Partial<ErrorFacts> & { fieldErrors?: FieldErrors | null }) | undefined;
  const fieldErrors = data?.fieldErrors ?? {};
  switch (code) {
    case "TOO_MANY_REQUESTS":
      return { message: t("rateLimited", { seconds: data?.retryAfterSeconds ?? 60 }), fieldErrors };
    case "NOT_FOUND":
      return { message: t("notFound"), fieldErrors };
    case "UNAUTHORIZED":
      return { message: t("signedOut"), fieldErrors };
    case "CONFLICT":
      if (data?.reason === "key_limit_exceeded") return { message: t("keyLimit", { limit: data.limit ?? 50 }), fieldErrors };
      return { message: error.message, fieldErrors };
    case "BAD_REQUEST":
      return { message: Object.keys(fieldErrors).length > 0 ? t("checkFields") : error.message, fieldErrors };
    case "INTERNAL_SERVER_ERROR":
      return { message: t("generic"), fieldErrors };
    default:
      // No code: the request never reached the server (offline, server down).
      return { message: code ? error.message : t("network"), fieldErrors };
  }
}
