/**
 * Vitest global setup shared by every package whose tests use Postgres.
 *
 * With `DATABASE_URL` set (CI, or a developer's own Postgres) it does nothing: each test file
 * makes its own schema there. Without it, it starts one embedded PGlite server in a temporary
 * folder for the whole run (for code under test that needs a URL, such as a spawned app), and
 * leaves an initialised copy of an empty data folder that `createTestDatabase()` clones for each
 * file's private server. So `pnpm test` needs no installed database.
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../embedded";
import { PGLITE_TEMPLATE_ENV } from "./index";

export default async function setup(): Promise<(() => Promise<void>) | void> {
  if (process.env.DATABASE_URL) return;
  const root = await mkdtemp(path.join(tmpdir(), "twx-test-pglite-"));
  const shared = path.join(root, "shared");
  const template = path.join(root, "template");

  const server = await startEmbeddedPostgres({ dataDir: shared, port: 0 });
  // Workers are started after global setup and inherit this environment.
  process.env.DATABASE_URL = server.url;

  const initialiser = await startEmbeddedPostgres({ dataDir: path.join(root, "init"), port: 0 });
  await initialiser.stop();
  await cp(path.join(root, "init"), template, { recursive: true });
  await rm(path.join(root, "init"), { recursive: true, force: true });
  process.env[PGLITE_TEMPLATE_ENV] = template;

  return async () => {
    await server.stop();
    delete process.env.DATABASE_URL;
    delete process.env[PGLITE_TEMPLATE_ENV];
    await rm(root, { recursive: true, force: true });
  };
}
