/**
 * Classifying unexpected errors, and describing them for logs without leaking anything.
 */

/** Prisma codes meaning "could not talk to the database" (not "the query was wrong"). */
const PRISMA_UNREACHABLE = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
/** Driver adapter error kinds with the same meaning (@prisma/driver-adapter-utils). */
const ADAPTER_UNREACHABLE = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "TlsConnectionError"]);
/** Node socket errors. */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH", "EPIPE"]);
/**
 * Postgres SQLSTATEs of a server that is going away or not accepting work: class 08 (connection
 * exception), 57P01–57P03 (shutdown, crash, cannot connect now), 53300 (too many connections).
 */
const SQLSTATE_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;
const MESSAGE_UNAVAILABLE = /timeout exceeded when trying to connect|Connection terminated|Can't reach database server/i;

/** True when the error (or one of its causes) says the database cannot be reached right now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const e = current as {
      code?: unknown;
      kind?: unknown;
      originalCode?: unknown;
      message?: unknown;
      meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown; code?: unknown } } };
      cause?: unknown;
    };
    if (typeof e.code === "string" && (PRISMA_UNREACHABLE.has(e.code) || SOCKET_CODES.has(e.code) || SQLSTATE_UNAVAILABLE.test(e.code))) {
      return true;
    }
    if (typeof e.kind === "string" && ADAPTER_UNREACHABLE.has(e.kind)) return true;
    const adapterCause = e.meta?.driverAdapterError?.cause;
    if (adapterCause) {
      if (typeof adapterCause.kind === "string" && ADAPTER_UNREACHABLE.has(adapterCause.kind)) return true;
      const sqlstate = adapterCause.originalCode ?? adapterCause.code;
      if (typeof sqlstate === "string" && SQLSTATE_UNAVAILABLE.test(sqlstate)) return true;
    }
    if (typeof e.message === "string" && MESSAGE_UNAVAILABLE.test(e.message)) return true;
    current = e.cause;
  }
  return false;
}

/** Anything that looks like a credential, replaced before a string reaches a log. */
export function scrub(text: string): string {
  return text
    .replace(/twx_[0-9A-Za-z]+/g, "twx_***")
    .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, "***jwt***")
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^@\s/]*@/gi, "$1***@")
    .replace(/\b(bearer)\s+\S+/gi, "$1 ***");
}

/**
 * An error for a log line: name, code and a bounded, scrubbed message. No stack trace, and no
 * Prisma message (it quotes the calling source code and can quote query arguments).
 */
export function describeError(error: unknown): Record<string, unknown> {
  // Duck-typed: errors from another realm (bundler runtimes, vm contexts) fail `instanceof Error`.
  if (!error || typeof error !== "object") return { type: typeof error };
  const e = error as { name?: unknown; code?: unknown; message?: unknown };
  const name = typeof e.name === "string" ? e.name : "Error";
  const description: Record<string, unknown> = { name };
  if (typeof e.code === "string" || typeof e.code === "number") description.code = e.code;
  if (!name.startsWith("PrismaClient") && typeof e.message === "string") {
    description.message = scrub(e.message).slice(0, 300);
  }
  return description;
}
