/**
 * Input rules for email/password accounts, shared by the domain functions and by every caller
 * (tRPC, server actions) so a form and the server never disagree.
 */
import { z } from "zod";

/** The longest address RFC 5321 allows through SMTP. */
const EMAIL_MAX = 254;
export const PASSWORD_MIN = 10;
/** Bounded so a megabyte-long "password" cannot tie up the hashing pool. */
export const PASSWORD_MAX = 256;
export const NAME_MAX = 100;

/**
 * Emails are stored trimmed and lower-cased: the unique index on `users.email` is
 * case-sensitive, and `Ana@x.com` and `ana@x.com` must be one account.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const emailSchema = z
  .string()
  .trim()
  .max(EMAIL_MAX, { message: "Enter a valid email address." })
  .pipe(z.email({ message: "Enter a valid email address." }))
  .transform(normalizeEmail);

export const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN, { message: `Use at least ${PASSWORD_MIN} characters.` })
  .max(PASSWORD_MAX, { message: `Use at most ${PASSWORD_MAX} characters.` });

export const signUpInputSchema = z.object({
  email: emailSchema,
  password: newPasswordSchema,
  name: z
    .string()
    .trim()
    .max(NAME_MAX, { message: `Use at most ${NAME_MAX} characters.` })
    .optional()
    .transform((v) => (v ? v : undefined)),
});
export type SignUpInput = z.input<typeof signUpInputSchema>;

/**
 * Sign-in only checks shape: length rules belong to sign-up, and telling a user "too short"
 * at sign-in would describe the stored password.
 */
export const signInInputSchema = z.object({
  email: z.string().trim().min(1).max(EMAIL_MAX).transform(normalizeEmail),
  password: z.string().min(1).max(PASSWORD_MAX),
});
export type SignInInput = z.input<typeof signInInputSchema>;
