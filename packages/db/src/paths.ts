import path from "node:path";

/** Repository root, resolved from this file so commands behave the same from any cwd. */
export const repoRoot = path.resolve(import.meta.dirname, "../../..");
export const migrationsDir = path.join(repoRoot, "prisma/migrations");
