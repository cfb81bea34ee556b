/** `pnpm db:seed`: seeds the database at DATABASE_URL (demo twins and, outside production, the demo account). */
import { loadEnvOrExit } from "@twx/config";
import { createDatabase } from "@twx/db";
import { seedDatabase } from "./seed";

const env = loadEnvOrExit();
if (!env.DATABASE_URL) {
  console.error("DATABASE_URL is not set. Run `pnpm db:seed` from the repo root, which starts the embedded database when none is configured.");
  process.exit(1);
}
const { db, pool } = createDatabase({ url: env.DATABASE_URL, maxConnections: 1 });
try {
  const result = await seedDatabase(db, { demoAccount: env.NODE_ENV !== "production" });
  console.log(
    `seed: ${result.twinsCreated} twins created, ${result.twinsUpdated} up to date; demo account ${result.demoAccountCreated ? "created" : "unchanged"}`,
  );
} finally {
  await db.$disconnect();
  await pool.end();
}
