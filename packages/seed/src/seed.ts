import { hashPassword } from "@twx/accounts";
import type { Database } from "@twx/db";
import { demoTwins } from "./twins";

/** The local demo account, named in the README. Never created in production. */
export const demoAccount = {
  email: "demo@twinexpert.local",
  password: "demo-password",
  name: "Demo Developer",
} as const;

export interface SeedResult {
  twinsCreated: number;
  twinsUpdated: number;
  demoAccountCreated: boolean;
}

/**
 * Idempotent: twins are matched by slug and brought up to date, the demo account by email.
 * Running it twice creates nothing twice.
 */
export async function seedDatabase(
  db: Database,
  options: { demoAccount: boolean } = { demoAccount: true },
): Promise<SeedResult> {
  const existing = new Set(
    (await db.twin.findMany({ where: { slug: { in: demoTwins.map((t) => t.slug) } }, select: { slug: true } })).map(
      (t) => t.slug,
    ),
  );
  for (const twin of demoTwins) {
    await db.twin.upsert({ where: { slug: twin.slug }, create: twin, update: twin });
  }

  let demoAccountCreated = false;
  if (options.demoAccount) {
    const user = await db.user.findUnique({ where: { email: demoAccount.email } });
    if (!user) {
      await db.user.create({
        data: {
          email: demoAccount.email,
          name: demoAccount.name,
          passwordHash: await hashPassword(demoAccount.password),
        },
      });
      demoAccountCreated = true;
    }
    // An existing demo account is left as it is, even if its password was changed locally.
  }

  return {
    twinsCreated: demoTwins.length - existing.size,
    twinsUpdated: existing.size,
    demoAccountCreated,
  };
}
