// The engine binary on its own: version, the one-shot `cli` commands, the JSON-RPC protocol,
// and the pure helpers behind the workarounds.

import { spawn } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";
import readline from "node:readline";
import { describe, expect, it } from "vitest";
import { parsePostgresUrl, redactUrl } from "../src/connection.mjs";
import { explainConnectorError } from "../src/engine-host.mjs";
import { EXPECTED_ENGINE_COMMIT, loadWasmEngine } from "../src/wasm-engine.mjs";
import { engineBin, repoRoot, run, schemaPath } from "./support";

/** A local port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("schema-engine binary", () => {
  it("runs the wasm engine of the CLI's own engine commit", async () => {
    // prisma -> @prisma/engines -> @prisma/engines-version names the commit the CLI expects.
    const prismaDir = realpathSync(path.join(repoRoot, "node_modules/prisma"));
    const enginesPkg = createRequire(path.join(prismaDir, "package.json")).resolve("@prisma/engines/package.json");
    const versionPkg = createRequire(enginesPkg).resolve("@prisma/engines-version/package.json");
    const cliCommit = JSON.parse(readFileSync(versionPkg, "utf8")).prisma.enginesVersion;
    const wasm = await loadWasmEngine();
    expect(wasm.version()).toBe(cliCommit);
    expect(EXPECTED_ENGINE_COMMIT).toBe(cliCommit);
  });

  it("answers --version like the native engine, with the wasm engine's commit", async () => {
    const res = await run(engineBin, ["--version"]);
    expect(res.code).toBe(0);
    expect(res.stdout.trim()).toBe(`schema-engine-cli ${EXPECTED_ENGINE_COMMIT}`);
  });

  it("reports an unreachable server from `cli can-connect-to-database` as P1001, in the CLI's stderr format", async () => {
    const port = await closedPort();
    const res = await run(engineBin, ["--datasource", JSON.stringify({ url: `postgresql://u:secret@127.0.0.1:${port}/db` }), "cli", "can-connect-to-database"]);
    expect(res.code).toBe(1);
    // The CLI skips the first stderr line and parses every other one as JSON.
    const lines = res.stderr.trimEnd().split("\n").slice(1).map((l) => JSON.parse(l));
    const error = lines.find((l) => l.level === "ERROR" && l.target === "schema_engine::logger");
    expect(error.fields.error_code).toBe("P1001");
    expect(error.fields.message).toContain(`127.0.0.1:${port}`);
    expect(res.stderr + res.stdout).not.toContain("secret");
  });

  it("serves a schema diff over JSON-RPC, printing the script through a `print` request", async () => {
    // --from-empty --to-schema needs no database: the URL points at nothing.
    const port = await closedPort();
    const child = spawn(engineBin, ["--datamodels", schemaPath, "--datasource", JSON.stringify({ url: `postgresql://127.0.0.1:${port}/none` })], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    const messages: any[] = [];
    const lines = readline.createInterface({ input: child.stdout });
    const response = new Promise<any>((resolve) => {
      lines.on("line", (line) => {
        const msg = JSON.parse(line);
        messages.push(msg);
        if (msg.method === "print") child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: msg.id, result: {} })}\n`);
        else if (msg.id === 7) resolve(msg);
      });
    });
    child.stdin.write(
      `${JSON.stringify({
        jsonrpc: "2.0",
        id: 7,
        method: "diff",
        params: {
          from: { tag: "empty" },
          to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: readFileSync(schemaPath, "utf8") }] },
          script: true,
          exitCode: null,
          filters: { externalTables: [], externalEnums: [] },
        },
      })}\n`,
    );
    const res = await response;
    child.stdin.end();
    await new Promise((resolve) => child.on("exit", resolve));

    expect(res.result).toEqual({ exitCode: 0 });
    const print = messages.find((m) => m.method === "print");
    expect(print.params.content).toContain('CREATE TABLE "users"');
    expect(messages.indexOf(print)).toBeLessThan(messages.indexOf(res));
  }, 20_000);

  it("answers an unknown method with a JSON-RPC error", async () => {
    const res = await run(engineBin, [], { input: `${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "noSuchMethod", params: {} })}\n` });
    const reply = JSON.parse(res.stdout.trim().split("\n")[0]!);
    expect(reply).toMatchObject({ id: 1, error: { code: -32601 } });
  });
});

describe("connection settings", () => {
  it("turns the URL into discrete fields (so a shadow database can override the name)", () => {
    const t = parsePostgresUrl("postgresql://us%40er:p%40ss@db.local:6543/app?schema=tenant&connection_limit=3&sslmode=disable");
    expect(t.config).toMatchObject({ host: "db.local", port: 6543, database: "app", user: "us@er", password: "p@ss", ssl: false });
    expect(t.config).not.toHaveProperty("connectionString");
    expect(t.config).not.toHaveProperty("connection_limit");
    expect(t.config.options).toBe('-c search_path="tenant"');
    expect(t.schema).toBe("tenant");
  });

  it("never shows passwords", () => {
    expect(redactUrl("postgresql://u:hunter2@h:5432/d")).not.toContain("hunter2");
  });
});

describe("error reporting", () => {
  it("puts PostgreSQL's own error back into 'external connector error' and moves the span trace out", () => {
    const data = explainConnectorError(
      {
        is_panic: false,
        message: 'Migration `x` failed to apply cleanly to the shadow database. \nError:\nexternal connector error\nNo such table: t\n   0: sql_schema_connector::validate\n             at lib.rs:1',
        error_code: "P3006",
      },
      { code: "42P01", message: 'relation "t" does not exist' },
    );
    expect(data.error_code).toBe("P3006");
    expect(data.message).toContain('ERROR: relation "t" does not exist');
    expect(data.message).toContain("Database error code: 42P01");
    expect(data.message).not.toContain("sql_schema_connector");
    expect(data.backtrace).toContain("sql_schema_connector");
  });

  it("reports a failed migration in deploy as P3018 with its name", () => {
    const data = explainConnectorError(
      {
        is_panic: false,
        message:
          'external connector error\nNo such table: t\n   0: sql_schema_connector::apply_migration::apply_script\n           with migration_name="20270102000000_bad"\n             at apply_migration.rs:113',
      },
      { code: "42P01", message: 'relation "t" does not exist' },
    );
    expect(data.error_code).toBe("P3018");
    expect(data.meta).toMatchObject({ migration_name: "20270102000000_bad", database_error_code: "42P01" });
    expect(data.message).toContain("Migration name: 20270102000000_bad");
  });
});
