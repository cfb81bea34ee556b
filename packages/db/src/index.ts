import { getEnv } from "@twx/config";
import { createDatabase, isEmbeddedUrl, type Database } from "./client";

export { createDatabase, isEmbeddedUrl, quoteIdent, type Database, type DatabaseOptions } from "./client";
export * from "./generated/prisma/client";

/** Pool size: the embedded database serves one query cycle at a time, so more would only queue. */
function poolSizeFor(url: string): number | undefined {
  return isEmbeddedUrl(url) ? 2 : undefined;
}

const globalForDb = globalThis as unknown as { twxDatabase?: Database };

/**
 * The process-wide database client, created on first use from `DATABASE_URL`.
 * Kept on `globalThis` so Next.js hot reloads in development do not open a new pool each time.
 */
export function getDb(): Database {
  if (!globalForDb.twxDatabase) {
    const url = getEnv().DATABASE_URL;
    if (!url) {
      throw new Error(
        "DATABASE_URL is not set. Start the app through `pnpm dev` / `pnpm start`, which run the embedded database when no DATABASE_URL is configured.",
      );
    }
    globalForDb.twxDatabase = createDatabase({ url, maxConnections: poolSizeFor(url) }).db;
  }
  return globalForDb.twxDatabase;
}

/** True when the database answers a trivial query within `timeoutMs`. */
export async function pingDatabase(db?: Database, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const client = db ?? getDb();
    return await Promise.race([client.$queryRaw`SELECT 1`.then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
