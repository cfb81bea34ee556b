/**
 * Child process for embedded.test.ts: the lock is about two processes, so the tests need a
 * second one. Prints one JSON line on stdout.
 *
 *   tsx embedded-fixture.ts hold <dataDir> <port> <marker>
 *     starts the server, inserts <marker> into table `marks` (committed), prints
 *     {"ready":true,"url":...} and keeps running until killed.
 *   tsx embedded-fixture.ts try <dataDir> <port>
 *     tries to start; prints {"started":true} (and stops) or {"error":..., "name":...}, exit 3.
 */
import pg from "pg";
import { startEmbeddedPostgres } from "../src/embedded";

const [mode, dataDir, portArg, marker] = process.argv.slice(2);
if (!mode || !dataDir || !portArg) throw new Error("usage: embedded-fixture <hold|try> <dataDir> <port> [marker]");
const port = Number(portArg);

if (mode === "try") {
  try {
    const server = await startEmbeddedPostgres({ dataDir, port });
    console.log(JSON.stringify({ started: true }));
    await server.stop();
  } catch (error) {
    console.log(JSON.stringify({ error: (error as Error).message, name: (error as Error).name }));
    process.exitCode = 3;
  }
} else if (mode === "hold") {
  const server = await startEmbeddedPostgres({ dataDir, port });
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query("CREATE TABLE IF NOT EXISTS marks (mark text NOT NULL)");
  await client.query("INSERT INTO marks (mark) VALUES ($1)", [marker ?? "hold"]);
  // Leave a transaction open too: the killed process must not leave it half-applied.
  await client.query("BEGIN");
  await client.query("INSERT INTO marks (mark) VALUES ('uncommitted')");
  console.log(JSON.stringify({ ready: true, url: server.url, pid: process.pid }));
  setInterval(() => {}, 60_000);
} else {
  throw new Error(`unknown mode ${mode}`);
}
