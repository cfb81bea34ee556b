/**
 * What every tRPC procedure receives: the request's headers, the caller's session (resolved by
 * the web app through Auth.js, so this package stays framework-free) and the database.
 */
import { getDb, type Database } from "@twx/db";

/** The part of an Auth.js session the API relies on. */
export interface ApiSession {
  user: { id: string; email?: string | null; name?: string | null; image?: string | null };
  expires: string;
}

export interface CreateContextOptions {
  headers: Headers;
  session: ApiSession | null;
  /** Defaults to the process-wide client; tests pass their own schema's client. */
  db?: Database;
}

export function createTRPCContext(options: CreateContextOptions) {
  let db = options.db;
  return {
    headers: options.headers,
    session: options.session,
    // Resolved on first use, so procedures that never touch the database do not need one.
    get db(): Database {
      db ??= getDb();
      return db;
    },
  };
}

export type TRPCContext = ReturnType<typeof createTRPCContext>;
