// The real Prisma CLI, with this engine as its schema engine, against a fresh database:
// the committed migrations build the whole schema, and `migrate status`/`diff` agree with it.

import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestDatabase,
  migrationsDir,
  prisma,
  schemaObjects,
  scratchProject,
  startPglite,
  type TestDatabase,
} from "./support";

const CLI_TIMEOUT = 30_000;

describe("migrate commands on a fresh database", () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase("migrate");
  }, CLI_TIMEOUT);
  afterAll(async () => {
    await db?.close();
  });

  it("has committed migrations", () => {
    const dirs = readdirSync(migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory());
    expect(dirs.length).toBeGreaterThan(0);
    expect(readFileSync(path.join(migrationsDir, "migration_lock.toml"), "utf8")).toContain('provider = "postgresql"');
  });

  it("status reports the migrations as not yet applied", async () => {
    const res = await prisma(["migrate", "status"], db.url);
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(res.stdout).toContain("have not yet been applied");
  }, CLI_TIMEOUT);

  it("deploy builds every table and enum of the schema", async () => {
    const res = await prisma(["migrate", "deploy"], db.url);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain("All migrations have been successfully applied.");

    const { tables, enums } = schemaObjects();
    const foundTables = await db.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    expect(foundTables.map((r) => r.name).sort()).toEqual([...tables, "_prisma_migrations"].sort());
    const foundEnums = await db.query<{ name: string }>(
      "SELECT t.typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'e' AND n.nspname = 'public'",
    );
    expect(foundEnums.map((r) => r.name).sort()).toEqual([...enums].sort());
    const applied = await db.query<{ migration_name: string; finished: boolean }>(
      "SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations",
    );
    expect(applied.every((r) => r.finished)).toBe(true);
  }, CLI_TIMEOUT);

  it("status reports the database up to date", async () => {
    const res = await prisma(["migrate", "status"], db.url);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain("Database schema is up to date!");
  }, CLI_TIMEOUT);

  it("the migrated database matches the schema (diff is empty)", async () => {
    // Reads the live database through the engine's schema describer.
    const res = await prisma(
      ["migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma", "--exit-code"],
      db.url,
    );
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain("No difference detected.");
  }, CLI_TIMEOUT);
});

describe("migrations replayed in a shadow database", () => {
  // On PostgreSQL the engine creates and drops a temporary shadow database; PGlite serves a
  // single database, so there a second PGlite is configured as `shadowDatabaseUrl`.
  let main: TestDatabase;
  let shadow: TestDatabase | undefined;
  let project: ReturnType<typeof scratchProject>;

  beforeAll(async () => {
    main = await createTestDatabase("shadow");
    if (main.kind === "pglite") shadow = await startPglite();
    project = scratchProject({ shadowDatabaseUrl: shadow?.url });
  }, CLI_TIMEOUT);
  afterAll(async () => {
    project?.remove();
    await shadow?.close();
    await main?.close();
  });

  it("the committed migrations produce exactly the schema (diff from migrations is empty)", async () => {
    const res = await prisma(
      ["migrate", "diff", "--config", project.config, "--from-migrations", project.migrations, "--to-schema", project.schema, "--script", "--exit-code"],
      main.url,
    );
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain("This is an empty migration.");
  }, CLI_TIMEOUT);

  it("migrate dev applies the history, then writes the follow-up migration of a schema change", async () => {
    const schema = readFileSync(project.schema, "utf8");
    const changed = schema.replace(/^(model User \{\n)/m, `$1  engineTestNickname String? @db.VarChar(40)\n`);
    expect(changed).not.toBe(schema);
    writeFileSync(project.schema, changed);

    const res = await prisma(["migrate", "dev", "--config", project.config, "--name", "engine_test"], main.url);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const created = readdirSync(project.migrations).filter((d) => d.endsWith("_engine_test"));
    expect(created).toHaveLength(1);
    const sql = readFileSync(path.join(project.migrations, created[0]!, "migration.sql"), "utf8");
    expect(sql).toContain('ALTER TABLE "users" ADD COLUMN');
    expect(sql).toContain('"engineTestNickname" VARCHAR(40)');

    const again = await prisma(["migrate", "dev", "--config", project.config, "--name", "nothing"], main.url);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain("Already in sync");
  }, 60_000);

  it("migrate reset --force empties the database and re-applies every migration", async () => {
    await main.query('CREATE TABLE "engine_test_junk" (id int)');
    const res = await prisma(["migrate", "reset", "--force", "--config", project.config], main.url);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const junk = await main.query("SELECT to_regclass('public.engine_test_junk') AS t");
    expect(junk[0].t).toBeNull();
    const applied = await main.query<{ n: number }>("SELECT count(*)::int AS n FROM _prisma_migrations");
    expect(applied[0]!.n).toBe(readdirSync(project.migrations).filter((d) => /^\d{14}_/.test(d)).length);
  }, CLI_TIMEOUT);
});

// PGlite 0.5 embeds PostgreSQL 18, whose catalog differs from the server's (NOT NULL constraints
// in pg_constraint). When the suite above ran against DATABASE_URL, check PGlite as well.
describe.skipIf(!process.env.DATABASE_URL)("PGlite (PostgreSQL 18) over pglite-socket", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await startPglite();
  }, CLI_TIMEOUT);
  afterAll(async () => {
    await db?.close();
  });

  it("deploy, status and diff work", async () => {
    const deploy = await prisma(["migrate", "deploy"], db.url);
    expect(deploy.code, deploy.stdout + deploy.stderr).toBe(0);
    const status = await prisma(["migrate", "status"], db.url);
    expect(status.code, status.stdout + status.stderr).toBe(0);
    expect(status.stdout).toContain("Database schema is up to date!");
    const diff = await prisma(
      ["migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma", "--exit-code"],
      db.url,
    );
    expect(diff.code, diff.stdout + diff.stderr).toBe(0);
  }, 45_000);
});
