/**
 * Where the benchmarks find Postgres and Redis. They need real servers (the point is to measure
 * real round trips), so the embedded database is not an option here; the defaults are the local
 * servers the test suites also default to.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const DATABASE_URL = process.env.DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/test";
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const repoRoot = path.resolve(benchDir, "..");

/** Integer from the environment (for shorter or longer runs), else the default. */
export function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
}

export function describeUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.hostname}:${parsed.port || "(default port)"}`;
}
