/**
 * The embedded default database: PGlite (Postgres compiled to WebAssembly, in this process)
 * served over the Postgres wire protocol on a local port, so the app, `prisma migrate` and the
 * seed reach it with the same `pg` driver adapter as a real Postgres.
 *
 *   client ─┐
 *   client ─┼─> SessionGate (public port) ──> PGLiteSocketServer (loopback, ephemeral port) ──> PGlite
 *   client ─┘    one client at a time,         pglite-socket 0.2.17                            data folder
 *                per query cycle / transaction
 *
 * Start-up order matters: the folder lock is taken before PGlite opens the folder, and the public
 * port is bound before PGlite opens too, so a busy port or a locked folder fails fast and never
 * leaves the folder opened twice.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { acquireDataDirLock, type DataDirLock } from "./lock";
import { SessionGate } from "./session-gate";

export { DataDirLockedError, lockPathFor } from "./lock";

export interface EmbeddedPostgresOptions {
  /** Folder of the database files; created on first start. */
  dataDir: string;
  /** Port to listen on; 0 picks a free one (see the returned `url`/`port`). */
  port: number;
  /** Interface to bind. Keep it on loopback: the server has no authentication. */
  host?: string;
  /** Client connections accepted at once (default 100). */
  maxConnections?: number;
  /**
   * Disconnect a client that holds the database idle (open transaction) for this long while
   * others wait (default 60 000 ms; 0 disables). See {@link SessionGate}.
   */
  idleHolderTimeoutMs?: number;
}

export interface EmbeddedPostgres {
  /**
   * Connection string for `pg` and the Prisma CLI. The `embedded=1` parameter marks it as the
   * embedded database for `@twx/db` (pool sizing); `pg` ignores unknown parameters.
   * It carries no password: the server trusts every local connection.
   */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Absolute data folder. */
  readonly dataDir: string;
  /** Disconnects clients, closes PGlite (flushing its files) and releases the folder. Idempotent. */
  stop(): Promise<void>;
}

/** The port is taken, by another embedded database or a real Postgres. */
export class EmbeddedPortInUseError extends Error {
  readonly code = "EMBEDDED_DB_PORT_IN_USE";
  constructor(
    readonly host: string,
    readonly port: number,
    cause: unknown,
  ) {
    super(
      `Port ${port} on ${host} is already in use, so the embedded database cannot listen there. ` +
        `Another embedded database or a Postgres server may be running on it: stop it, ` +
        `or set EMBEDDED_DB_PORT to a free port.`,
      { cause },
    );
    this.name = "EmbeddedPortInUseError";
  }
}

/** PGlite could not open the folder (damaged files, or made by an incompatible version). */
export class EmbeddedDataDirError extends Error {
  readonly code = "EMBEDDED_DB_DATA_DIR";
  constructor(
    readonly dataDir: string,
    cause: unknown,
  ) {
    super(
      `The embedded database could not open its data folder ${dataDir}: ` +
        `${cause instanceof Error ? cause.message : String(cause)}. ` +
        `If the folder is damaged or from an incompatible PGlite version, move it away or ` +
        `delete it to start with an empty database (then run the migrations again).`,
      { cause },
    );
    this.name = "EmbeddedDataDirError";
  }
}

export function embeddedUrl(host: string, port: number): string {
  const hostPart = host.includes(":") ? `[${host}]` : host;
  return `postgresql://postgres@${hostPart}:${port}/postgres?embedded=1`;
}

/** Starts the embedded database; see the module comment. */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const host = options.host ?? "127.0.0.1";
  const dataDir = path.resolve(options.dataDir);
  const maxConnections = options.maxConnections ?? 100;

  const lock: DataDirLock = acquireDataDirLock(dataDir);
  let gate: SessionGate | undefined;
  let db: PGlite | undefined;
  let socketServer: PGLiteSocketServer | undefined;

  const shutdown = async () => {
    try {
      await gate?.close();
      // Let socket close events queued by the gate's disconnects run before the server stops.
      await new Promise((resolve) => setImmediate(resolve));
      await socketServer?.stop();
      if (db && !db.closed) await db.close();
    } finally {
      lock.release();
    }
  };

  try {
    gate = new SessionGate({
      upstreamHost: "127.0.0.1",
      maxConnections,
      idleHolderTimeoutMs: options.idleHolderTimeoutMs ?? 60_000,
    });
    let port: number;
    try {
      port = await gate.listen(options.port, host);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
        throw new EmbeddedPortInUseError(host, options.port, error);
      }
      throw error;
    }

    try {
      mkdirSync(dataDir, { recursive: true });
      db = await PGlite.create({ dataDir });
    } catch (error) {
      throw new EmbeddedDataDirError(dataDir, error);
    }

    // Loopback-only, ephemeral port: only the gate connects here, one upstream per client.
    socketServer = new PGLiteSocketServer({
      db,
      host: "127.0.0.1",
      port: 0,
      // Upstream connections close asynchronously after their client, so leave headroom.
      maxConnections: maxConnections * 2,
    });
    await socketServer.start();
    const upstreamPort = Number(socketServer.getServerConn().split(":").at(-1));
    await gate.attachUpstream(upstreamPort);

    let stopping: Promise<void> | undefined;
    return {
      url: embeddedUrl(host, port),
      host,
      port,
      dataDir,
      stop: () => (stopping ??= shutdown()),
    };
  } catch (error) {
    await shutdown().catch(() => {
      // The start-up error is the one worth reporting.
    });
    throw error;
  }
}
