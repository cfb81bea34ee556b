/**
 * The database the CLI works on, in this order:
 *   1. `DATABASE_URL` when set;
 *   2. otherwise the embedded database of a running `pnpm dev` / `pnpm start` (it listens on
 *      EMBEDDED_DB_PORT, default 5488, and only one process may open its folder);
 *   3. otherwise the embedded database folder itself (EMBEDDED_DB_DIR, default .data/pglite),
 *      opened in this process for the duration of the command.
 * Status lines go to stderr, so `pnpm -s twx token ...` prints nothing but the token on stdout.
 */
import { connect } from "node:net";
import path from "node:path";
import type { Env } from "@twx/config";
import { createDatabase, type Database } from "@twx/db";

export const repoRoot = path.resolve(import.meta.dirname, "../../..");

export interface OpenedDatabase {
  db: Database;
  /** Where it is, for messages; never carries credentials. */
  description: string;
  close(): Promise<void>;
}

function listening(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return "(DATABASE_URL)";
  }
}

function opened(url: string, description: string, stop?: () => Promise<void>): OpenedDatabase {
  const embedded = new URL(url).searchParams.get("embedded") === "1";
  const { db, pool } = createDatabase({ url, maxConnections: embedded ? 1 : 2 });
  // An idle connection dropped by the server (the embedded one stopping after the command, a
  // restart) must not crash the command: the next query reports a real failure.
  pool.on("error", () => undefined);
  return {
    db,
    description,
    async close() {
      await db.$disconnect().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await stop?.();
    },
  };
}

export async function openDatabase(
  env: Pick<Env, "DATABASE_URL" | "EMBEDDED_DB_DIR" | "EMBEDDED_DB_PORT">,
  note: (line: string) => void,
): Promise<OpenedDatabase> {
  if (env.DATABASE_URL) return opened(env.DATABASE_URL, describeUrl(env.DATABASE_URL));

  // Loaded only here: the embedded database pulls in PGlite, which a DATABASE_URL run never needs.
  const { embeddedUrl, startEmbeddedPostgres } = await import("@twx/db/embedded");
  const host = "127.0.0.1";
  if (await listening(host, env.EMBEDDED_DB_PORT)) {
    note(`Using the embedded database served on ${host}:${env.EMBEDDED_DB_PORT} (a running pnpm dev/start).`);
    return opened(embeddedUrl(host, env.EMBEDDED_DB_PORT), `embedded database on port ${env.EMBEDDED_DB_PORT}`);
  }
  const dataDir = path.resolve(repoRoot, env.EMBEDDED_DB_DIR);
  const server = await startEmbeddedPostgres({ dataDir, port: 0 });
  note(`Using the embedded database in ${path.relative(repoRoot, dataDir) || dataDir} (set DATABASE_URL for another).`);
  return opened(server.url, `embedded database in ${env.EMBEDDED_DB_DIR}`, () => server.stop());
}
