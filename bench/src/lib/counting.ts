/**
 * Counting statements at the driver: every pooled connection's `query` is wrapped when it
 * connects, which covers Prisma's reads, writes, transactions and raw SQL alike (the same
 * technique as @twx/keys' tests).
 */
import type pg from "pg";

export interface StatementCounter {
  total(): number;
  /** Statements whose text matches `pattern`. */
  matching(pattern: RegExp): number;
  reset(): void;
}

export function countStatements(pool: pg.Pool): StatementCounter {
  let statements: string[] = [];
  pool.on("connect", (client) => {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const first = args[0];
      statements.push(typeof first === "string" ? first : ((first as { text?: string } | undefined)?.text ?? "?"));
      return original(...args);
    };
  });
  return {
    total: () => statements.length,
    matching: (pattern) => statements.filter((s) => pattern.test(s)).length,
    reset: () => {
      statements = [];
    },
  };
}
