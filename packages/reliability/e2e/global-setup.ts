/**
 * The built app (packages/rest's harness: `next build` when stale) and a database of this run,
 * migrated and seeded on DATABASE_URL's server, plus the secrets every app of the run shares.
 * Each test file starts the servers it needs with `startApp`.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { build, prepareDatabase } from "../../rest/e2e/global-setup";

export default async function setup(): Promise<() => Promise<void>> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error("DATABASE_URL is not set (the @twx/db global setup runs first)");
  if (process.env.E2E_SKIP_BUILD !== "1") build();
  const database = await prepareDatabase(serverUrl);
  const dir = await mkdtemp(path.join(tmpdir(), "twx-reliability-"));
  Object.assign(process.env, {
    TWX_REL_SERVER_URL: serverUrl,
    DATABASE_URL: database.url,
    TWX_REL_DIR: dir,
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    JWT_SECRET: randomBytes(32).toString("base64url"),
    API_KEY_PEPPER: randomBytes(32).toString("base64url"),
  });
  return async () => {
    await database.drop();
    console.log(`[reliability] server logs: ${dir}`);
  };
}
