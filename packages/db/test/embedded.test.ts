/**
 * The embedded database: persistence, the data-folder lock (in-process, across processes, after
 * a SIGKILL) and several clients at once through the session gate.
 *
 * One data folder is initialised once (initdb is the slow part) and reused by every test; each
 * test makes its own tables.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  DataDirLockedError,
  EmbeddedPortInUseError,
  lockPathFor,
  startEmbeddedPostgres,
} from "../src/embedded";
import { acquireDataDirLock, processStartTime } from "../src/embedded/lock";
import { repoRoot } from "../src/paths";

const fixture = path.join(import.meta.dirname, "embedded-fixture.ts");
const require = createRequire(import.meta.url);

function listenOnFreePort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (typeof address === "object" && address) resolve({ server, port: address.port });
      else reject(new Error("no port"));
    });
  });
}

async function freePort(): Promise<number> {
  const { server, port } = await listenOnFreePort();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

interface FixtureRun {
  child: ReturnType<typeof spawn>;
  /** First JSON line the child prints. */
  line: Promise<Record<string, unknown>>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs embedded-fixture.ts in its own Node process (a single process: SIGKILL hits the owner). */
const children = new Set<ReturnType<typeof spawn>>();

function runFixture(args: string[]): FixtureRun {
  const child = spawn(process.execPath, ["--import", "tsx", fixture, ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const line = new Promise<Record<string, unknown>>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf("\n");
      if (newline !== -1) resolve(JSON.parse(stdout.slice(0, newline)) as Record<string, unknown>);
    });
    child.once("exit", () => reject(new Error(`fixture exited without output; stderr:\n${stderr}`)));
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, line, exit };
}

let root: string;
let dataDir: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "twx-embedded-test-"));
  dataDir = path.join(root, "pglite");
  // Create the database once; the tests reopen it.
  const server = await startEmbeddedPostgres({ dataDir, port: 0 });
  await server.stop();
}, 60_000);

afterEach(() => {
  // A failed test must not leave a fixture holding the folder for the next one.
  for (const child of children) child.kill("SIGKILL");
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

// Generous timeouts: each start loads PGlite's WebAssembly, slow on a busy machine.
describe("embedded database", { timeout: 30_000 }, () => {
  it("keeps data across stop and start (uuid default, jsonb, multi-row insert)", async () => {
    const port = await freePort();
    let server = await startEmbeddedPostgres({ dataDir, port });
    expect(server.url).toBe(`postgresql://postgres@127.0.0.1:${port}/postgres?embedded=1`);
    await withClient(server.url, async (client) => {
      await client.query(
        `CREATE TABLE docs (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), body jsonb NOT NULL DEFAULT '{}')`,
      );
      await client.query(`INSERT INTO docs (body) VALUES ($1), ($2), ($3)`, [
        { n: 1 },
        { n: 2, tags: ["a", "b"] },
        { n: 3, nested: { ok: true } },
      ]);
    });
    await server.stop();
    await server.stop(); // idempotent
    expect(existsSync(lockPathFor(dataDir))).toBe(false);

    // The same port is free again after stop(). A client that connects while PGlite is still
    // opening waits for it instead of being refused.
    const starting = startEmbeddedPostgres({ dataDir, port });
    const early = withClient(`postgresql://postgres@127.0.0.1:${port}/postgres`, async (client) =>
      (await client.query(`SELECT id, body FROM docs ORDER BY (body->>'n')::int`)).rows,
    );
    server = await starting;
    try {
      const rows = await early;
      expect(rows.map((r) => r.body)).toEqual([
        { n: 1 },
        { n: 2, tags: ["a", "b"] },
        { n: 3, nested: { ok: true } },
      ]);
      for (const row of rows) expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await server.stop();
    }
  });

  it("refuses a second server on the same folder, in this process and from another one", async () => {
    const server = await startEmbeddedPostgres({ dataDir, port: 0 });
    try {
      const second = startEmbeddedPostgres({ dataDir, port: 0 });
      await expect(second).rejects.toBeInstanceOf(DataDirLockedError);
      await expect(second).rejects.toThrow(dataDir);
      await expect(second).rejects.toThrow(`pid ${process.pid}`);

      const run = runFixture(["try", dataDir, "0"]);
      const result = await run.line;
      expect(result.name).toBe("DataDirLockedError");
      expect(String(result.error)).toContain(dataDir);
      expect(String(result.error)).toContain(`pid ${process.pid}`);
      expect((await run.exit).code).toBe(3);

      // The refused attempts left the owner's lock alone, and the server still answers.
      const lock = JSON.parse(readFileSync(lockPathFor(dataDir), "utf8")) as { pid: number };
      expect(lock.pid).toBe(process.pid);
      await withClient(server.url, async (client) => {
        expect((await client.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
      });
    } finally {
      await server.stop();
    }
  });

  it("takes over the lock of a SIGKILLed owner and recovers its committed data", async () => {
    const marker = `killed-${Date.now()}`;
    const run = runFixture(["hold", dataDir, "0", marker]);
    const ready = await run.line;
    expect(ready.ready).toBe(true);
    const lock = JSON.parse(readFileSync(lockPathFor(dataDir), "utf8")) as { pid: number };
    expect(lock.pid).toBe(ready.pid);

    // While it lives, it blocks.
    await expect(startEmbeddedPostgres({ dataDir, port: 0 })).rejects.toThrow(`pid ${lock.pid}`);

    run.child.kill("SIGKILL");
    expect((await run.exit).signal).toBe("SIGKILL");
    expect(existsSync(lockPathFor(dataDir))).toBe(true); // left behind

    const server = await startEmbeddedPostgres({ dataDir, port: 0 });
    try {
      const marks = await withClient(server.url, async (client) =>
        (await client.query<{ mark: string }>("SELECT mark FROM marks")).rows.map((r) => r.mark),
      );
      expect(marks).toContain(marker);
      expect(marks).not.toContain("uncommitted");
    } finally {
      await server.stop();
    }
  });

  it("reports a port in use and leaves the folder unlocked", async () => {
    const { server: blocker, port } = await listenOnFreePort();
    try {
      const attempt = startEmbeddedPostgres({ dataDir, port });
      await expect(attempt).rejects.toBeInstanceOf(EmbeddedPortInUseError);
      await expect(attempt).rejects.toThrow(`Port ${port} on 127.0.0.1 is already in use`);
      expect(existsSync(lockPathFor(dataDir))).toBe(false);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  describe("with several clients", () => {
    let server: Awaited<ReturnType<typeof startEmbeddedPostgres>>;

    beforeAll(async () => {
      server = await startEmbeddedPostgres({ dataDir, port: 0, idleHolderTimeoutMs: 500 });
      await withClient(server.url, (client) =>
        client.query("CREATE TABLE ledger (id serial PRIMARY KEY, who int NOT NULL, n int NOT NULL)"),
      );
    }, 30_000);

    afterAll(async () => {
      await server?.stop();
    });

    it("runs concurrent parameterised queries and transactions without mixing them up", async () => {
      const workers = 8;
      const rounds = 15;
      const problems: string[] = [];
      await Promise.all(
        Array.from({ length: workers }, async (_, who) =>
          withClient(server.url, async (client) => {
            for (let n = 0; n < rounds; n++) {
              // Extended protocol (Parse/Bind/Execute/Sync), as Prisma's adapter sends it.
              const echo = await client.query("SELECT $1::int AS who, $2::text AS tag", [who, `r${n}`]);
              if (echo.rows[0].who !== who || echo.rows[0].tag !== `r${n}`) {
                problems.push(`worker ${who} got ${JSON.stringify(echo.rows)}`);
              }
              await client.query("BEGIN");
              await client.query("INSERT INTO ledger (who, n) VALUES ($1, $2)", [who, n]);
              const seen = await client.query("SELECT count(*)::int AS c FROM ledger WHERE who = $1", [who]);
              const expected = n - Math.floor((n + 2) / 3) + 1; // rows committed so far + this one
              if (seen.rows[0].c !== expected) problems.push(`worker ${who} round ${n} saw ${seen.rows[0].c}`);
              await client.query(n % 3 === 0 ? "ROLLBACK" : "COMMIT");
              if (n % 4 === 0) {
                // An error inside an extended query must not spill into other clients.
                await expect(client.query("SELECT 1 / $1::int", [0])).rejects.toThrow(/division by zero/);
              }
            }
          }),
        ),
      );
      expect(problems).toEqual([]);
      const counts = await withClient(server.url, async (client) =>
        (await client.query("SELECT who, count(*)::int AS c FROM ledger GROUP BY who ORDER BY who")).rows,
      );
      const committed = rounds - Math.ceil(rounds / 3);
      expect(counts).toEqual(Array.from({ length: workers }, (_, who) => ({ who, c: committed })));
    });

    it("serves a pg.Pool of several connections", async () => {
      const pool = new pg.Pool({ connectionString: server.url, max: 6 });
      try {
        const results = await Promise.all(
          Array.from({ length: 40 }, (_, i) => pool.query("SELECT $1::int * 2 AS v", [i])),
        );
        expect(results.map((r) => r.rows[0].v)).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
      } finally {
        await pool.end();
      }
    });

    it("rolls back the transaction of a client that disconnects, and lets the others go on", async () => {
      const leaver = new pg.Client({ connectionString: server.url });
      leaver.on("error", () => {});
      await leaver.connect();
      await leaver.query("BEGIN");
      await leaver.query("INSERT INTO ledger (who, n) VALUES (-1, 0)");

      const other = withClient(server.url, (client) =>
        client.query("SELECT count(*)::int AS c FROM ledger WHERE who = -1"),
      );
      // Drop the socket without COMMIT or Terminate, as a crashed process would.
      (leaver as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      expect((await other).rows[0].c).toBe(0);
    });

    it("keeps each client's reported settings (search_path, TimeZone) to itself", async () => {
      await withClient(server.url, (client) => client.query("CREATE SCHEMA IF NOT EXISTS elsewhere"));
      const a = new pg.Client({ connectionString: server.url });
      // Startup options as the Prisma schema engine sends them for `?schema=`.
      const b = new pg.Client({ connectionString: server.url, options: "-c search_path=elsewhere" });
      await a.connect();
      await b.connect();
      try {
        const show = async (client: pg.Client) =>
          (await client.query("SELECT current_setting('search_path') AS p, current_setting('TimeZone') AS tz")).rows[0];
        expect(await show(b)).toEqual({ p: "elsewhere", tz: "UTC" });
        expect(await show(a)).toEqual({ p: "public", tz: "UTC" });
        await a.query("SET TimeZone = 'Asia/Ho_Chi_Minh'");
        await b.query("SET search_path TO elsewhere, public");
        expect(await show(a)).toEqual({ p: "public", tz: "Asia/Ho_Chi_Minh" });
        expect(await show(b)).toEqual({ p: "elsewhere, public", tz: "UTC" });
        await withClient(server.url, async (c) => expect(await show(c)).toEqual({ p: "public", tz: "UTC" }));
      } finally {
        await Promise.all([a.end(), b.end()]);
      }
    });

    it("keeps named prepared statements apart per connection", async () => {
      const a = new pg.Client({ connectionString: server.url });
      const b = new pg.Client({ connectionString: server.url });
      await a.connect();
      await b.connect();
      try {
        const [ra, rb] = await Promise.all([
          a.query({ name: "same", text: "SELECT 'a' AS who, $1::int AS n", values: [1] }),
          b.query({ name: "same", text: "SELECT 'b' AS who, $1::int + 100 AS n", values: [1] }),
        ]);
        expect(ra.rows).toEqual([{ who: "a", n: 1 }]);
        expect(rb.rows).toEqual([{ who: "b", n: 101 }]);
        // Reused by name (pg sends only Bind/Execute the second time).
        expect((await a.query({ name: "same", text: "SELECT 'a' AS who, $1::int AS n", values: [2] })).rows)
          .toEqual([{ who: "a", n: 2 }]);
      } finally {
        await a.end();
      }
      // A newcomer may take the name a departed client used.
      await withClient(server.url, async (c) => {
        const r = await c.query({ name: "same", text: "SELECT 'c' AS who", values: [] });
        expect(r.rows).toEqual([{ who: "c" }]);
      });
      expect((await b.query({ name: "same", text: "SELECT 'b' AS who, $1::int + 100 AS n", values: [5] })).rows)
        .toEqual([{ who: "b", n: 105 }]);
      await b.end();
    });

    it("lets clients connect while another one is inside a transaction", async () => {
      const holder = new pg.Client({ connectionString: server.url });
      await holder.connect();
      await holder.query("BEGIN");
      try {
        const late = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 2_000 });
        await late.connect(); // answered by the gate, not queued behind the transaction
        const query = late.query("SELECT 1 AS one");
        await holder.query("COMMIT");
        expect((await query).rows).toEqual([{ one: 1 }]);
        await late.end();
      } finally {
        await holder.end();
      }
    });

    it("ends a transaction left idle while others wait (idleHolderTimeoutMs)", async () => {
      const idler = new pg.Client({ connectionString: server.url });
      const idlerErrors: Error[] = [];
      idler.on("error", (error) => idlerErrors.push(error));
      await idler.connect();
      await idler.query("BEGIN");
      await idler.query("INSERT INTO ledger (who, n) VALUES (-2, 0)");

      const started = Date.now();
      const count = await withClient(server.url, (client) =>
        client.query("SELECT count(*)::int AS c FROM ledger WHERE who = -2"),
      );
      expect(count.rows[0].c).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      await expect(idler.query("SELECT 1")).rejects.toThrow();
      expect(idlerErrors.map((e) => e.message).join(" ")).toMatch(/one transaction at a time/);
      await idler.end().catch(() => {});
    });
  });
});

describe("with-database launcher", { timeout: 30_000 }, () => {
  it("starts the embedded database for the command, passes on its exit code and stops", async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_DB_DIR: dataDir, EMBEDDED_DB_PORT: String(port) };
    delete env.DATABASE_URL;
    const script = [
      `const pg = require(${JSON.stringify(require.resolve("pg"))});`,
      "const c = new pg.Client({ connectionString: process.env.DATABASE_URL });",
      "c.connect().then(() => c.query('SELECT 41 + 1 AS v')).then((r) => {",
      "  console.log('child got', r.rows[0].v); return c.end(); }).then(() => process.exit(7));",
    ].join("\n");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(repoRoot, "packages/db/src/cli/with-database.ts"), "--", process.execPath, "-e", script],
      { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] },
    );
    children.add(child);
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(output).toContain(`Database: embedded PGlite on 127.0.0.1:${port}`);
    expect(output).toContain("child got 42");
    expect(code).toBe(7);
    expect(existsSync(lockPathFor(dataDir))).toBe(false);
  });
});

describe("data-folder lock", { timeout: 15_000 }, () => {
  it("takes over a lock whose pid is no longer running", async () => {
    const dir = path.join(root, "lock-dead");
    const gone = spawn(process.execPath, ["-e", ""]);
    const deadPid = await new Promise<number>((resolve) => gone.once("exit", () => resolve(gone.pid!)));
    writeFileSync(
      lockPathFor(dir),
      JSON.stringify({ pid: deadPid, processStart: null, hostname: "h", token: "t", dataDir: dir, acquiredAt: "x" }),
    );
    const lock = acquireDataDirLock(dir);
    expect(lock.owner.pid).toBe(process.pid);
    lock.release();
    expect(existsSync(lockPathFor(dir))).toBe(false);
  });

  it.runIf(processStartTime(process.pid) !== null)(
    "takes over a lock whose pid now belongs to another process (pid reuse)",
    () => {
      const dir = path.join(root, "lock-reused");
      writeFileSync(
        lockPathFor(dir),
        JSON.stringify({ pid: process.pid, processStart: "1", hostname: "h", token: "t", dataDir: dir, acquiredAt: "x" }),
      );
      const lock = acquireDataDirLock(dir);
      lock.release();
    },
  );

  it("refuses while the owner lives and is free again after release", () => {
    const dir = path.join(root, "lock-live");
    const lock = acquireDataDirLock(dir);
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    lock.release();
    lock.release(); // idempotent
    const again = acquireDataDirLock(dir);
    again.release();
  });

  it("takes over an unreadable lock file once it is old (its creator died while writing it)", () => {
    const dir = path.join(root, "lock-garbled");
    const lockPath = lockPathFor(dir);
    writeFileSync(lockPath, "");
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lockPath, minuteAgo, minuteAgo);
    const lock = acquireDataDirLock(dir);
    lock.release();
  });
});
