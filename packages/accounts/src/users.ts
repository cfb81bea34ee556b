/**
 * Email/password accounts: creating one and checking a sign-in.
 *
 * Neither function tells its caller whether an email is registered beyond what the outcome
 * must say, and both spend the same hashing work on every path so response times do not
 * reveal it either.
 */
import type { Database, User } from "@twx/db";
import { z } from "zod";
import { hashPassword, verifyPassword } from "./password";
import { signInInputSchema, signUpInputSchema, type SignInInput, type SignUpInput } from "./schemas";

export type AccountErrorCode =
  /** The input broke a rule; `fieldErrors` says which field and why. */
  | "invalid_input"
  /** No account could be created with these details (the email may already be taken). */
  | "sign_up_unavailable";

export class AccountError extends Error {
  constructor(
    readonly code: AccountErrorCode,
    message: string,
    readonly fieldErrors: Record<string, string[] | undefined> = {},
  ) {
    super(message);
    this.name = "AccountError";
  }
}

/** What the portal may know about a user: never the password hash. */
export type PublicUser = Pick<User, "id" | "email" | "name" | "image" | "createdAt">;

const publicUserSelect = { id: true, email: true, name: true, image: true, createdAt: true } as const;

/** Unique-constraint violation, from Prisma's error code (P2002) without importing its runtime. */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/**
 * Creates an account that signs in with email and password.
 *
 * An email that is already registered fails with the same `sign_up_unavailable` error and after
 * the same hashing work as any other refusal, so the error text never names the email as taken.
 */
export async function createUserWithPassword(db: Database, input: SignUpInput): Promise<PublicUser> {
  const parsed = signUpInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new AccountError(
      "invalid_input",
      "Check the highlighted fields.",
      z.flattenError(parsed.error).fieldErrors,
    );
  }
  const { email, password, name } = parsed.data;
  // Hash first, whatever happens next: a taken email must not answer faster.
  const passwordHash = await hashPassword(password);
  try {
    return await db.user.create({
      data: { email, passwordHash, name: name ?? null },
      select: publicUserSelect,
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AccountError(
        "sign_up_unavailable",
        "We could not create an account with these details. If you already have one, sign in instead.",
      );
    }
    throw error;
  }
}

/**
 * A fixed hash of a random password, verified against when no account matches so that an
 * unknown email costs as much scrypt time as a wrong password.
 */
let decoyHash: Promise<string> | undefined;
function getDecoyHash(): Promise<string> {
  decoyHash ??= hashPassword(crypto.randomUUID());
  return decoyHash;
}

/**
 * The user these credentials belong to, or null. Null covers every failure alike (unknown email,
 * OAuth-only account without a password, wrong password, malformed input): callers show one
 * generic message.
 */
export async function authenticateWithPassword(db: Database, input: SignInInput): Promise<PublicUser | null> {
  const parsed = signInInputSchema.safeParse(input);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const user = await db.user.findUnique({
    where: { email },
    select: { ...publicUserSelect, passwordHash: true },
  });
  if (!user?.passwordHash) {
    await verifyPassword(password, await getDecoyHash());
    return null;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  const { passwordHash: _omit, ...publicUser } = user;
  return publicUser;
}

/** The signed-in user's own profile, or null when the account no longer exists. */
export async function getPublicUser(db: Database, userId: string): Promise<PublicUser | null> {
  return db.user.findUnique({ where: { id: userId }, select: publicUserSelect });
}
