/**
 * Vitest global setup shared by every package whose tests use Postgres.
 *
 * With `DATABASE_URL` set (CI, or a developer's own Postgres) it does nothing: each test file
 * makes its own schema there. Without it, it starts one embedded PGlite server in a temporary
 * folder for the whole run, so `pnpm test` needs no installed database.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../embedded";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export default async function setup(): Promise<(() => Promise<void>) | void> {
  if (process.env.DATABASE_URL) return;
  const dataDir = await mkdtemp(path.join(tmpdir(), "twx-test-pglite-"));
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  // Workers are started after global setup and inherit this environment.
  process.env.DATABASE_URL = server.url;
  return async () => {
    await server.stop();
    delete process.env.DATABASE_URL;
    await rm(dataDir, { recursive: true, force: true });
  };
}
