import { MAX_TTL_SECONDS, MIN_TTL_SECONDS } from "@twx/tokens";
import { z } from "zod";

/** Lifetime in seconds: the portal offers 15 minutes, 1, 8 and 24 hours; at most 24 hours. */
export const ZIssueTokenInputSchema = z.object({
  ttlSeconds: z
    .number()
    .int("Use a whole number of seconds.")
    .min(MIN_TTL_SECONDS, "A token lives at least one minute.")
    .max(MAX_TTL_SECONDS, "A token lives at most 24 hours."),
});
