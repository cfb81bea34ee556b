/**
 * Inputs of the `keys` procedures. The rules are those of `@twx/keys` (which checks again);
 * checking here first gives the portal per-field messages without a database round trip.
 */
import { hasControlCharacters, KEY_NAME_MAX, MAX_ROLL_GRACE_SECONDS } from "@twx/keys";
import { z } from "zod";
import { keyId } from "./management";

const name = z
  .string()
  .trim()
  .min(1, "Give the key a name.")
  .max(KEY_NAME_MAX, `Use at most ${KEY_NAME_MAX} characters.`)
  .refine((v) => !hasControlCharacters(v), "Use printable characters only.");

export const ZListKeysInputSchema = z
  .object({ includeRevoked: z.boolean().default(true) })
  .default({ includeRevoked: true });

export const ZCreateKeyInputSchema = z.object({
  name,
  scope: z.enum(["read_only", "full_access"], { error: "Choose read only or full access." }),
  expiresAt: z
    .date({ error: "Choose a valid date." })
    .refine((d) => d.getTime() > Date.now(), "Choose a date in the future.")
    .nullish(),
});

export const ZRenameKeyInputSchema = z.object({ id: keyId, name });

export const ZRevokeKeyInputSchema = z.object({ id: keyId });

/** The portal offers now, 1 hour, 24 hours and 7 days; any whole number of seconds up to 7 days is valid. */
export const ZRollKeyInputSchema = z.object({
  id: keyId,
  gracePeriodSeconds: z
    .number()
    .int("Use a whole number of seconds.")
    .min(0, "The grace period cannot be negative.")
    .max(MAX_ROLL_GRACE_SECONDS, "The grace period is at most 7 days."),
});
