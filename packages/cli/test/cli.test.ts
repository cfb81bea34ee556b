import { spawnSync } from "node:child_process";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@twx/db/testing";
import { createKey, type KeyChange, type KeyChangePublisher } from "@twx/keys";
import { createTokenService } from "@twx/tokens";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, resolveCommand, runCommand, type CliIo, type CliServices } from "../src/cli";

let t: TestDatabase;
let services: CliServices;
const published: KeyChange[] = [];
const tokenKey = new TextEncoder().encode("cli-test-secret-0123456789abcdef0123");

beforeAll(async () => {
  t = await createTestDatabase();
  const publisher: KeyChangePublisher = { namespace: "test", publish: async (change) => void published.push(change) };
  services = { db: t.db, tokenKey, keyChangePublisher: publisher };
});
afterAll(async () => {
  await t?.drop();
});

async function twx(argv: string[], stdin = ""): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (s) => out.push(s), err: (s) => err.push(s), readStdin: async () => stdin };
  const resolved = resolveCommand(argv);
  if (!resolved.command) return { code: EXIT_OK, out: resolved.help, err: "" };
  const code = await runCommand(resolved.command, resolved.args, services, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("user create", () => {
  it("creates a user with a password, normalising the email, and audits it", async () => {
    const result = await twx(["user", "create", "  Dev@Example.COM ", "--password", "correct horse battery", "--name", "Dev"]);
    expect(result).toMatchObject({ code: EXIT_OK, err: "" });
    expect(result.out).toMatch(/^Created user dev@example\.com \(id [0-9a-f-]+\)\.$/);
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "dev@example.com" } });
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    expect(user.name).toBe("Dev");
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { action: "user.created", targetId: user.id } });
    expect(event.actorId).toBeNull();
  });

  it("reads the password from standard input with --password -", async () => {
    const result = await twx(["user", "create", "stdin@example.com", "--password", "-"], "from-stdin-password\n");
    expect(result.code).toBe(EXIT_OK);
  });

  it("creates a user without a password", async () => {
    const result = await twx(["user", "create", "nopw@example.com"]);
    expect(result.out).toContain("without a password");
    expect((await t.db.user.findUniqueOrThrow({ where: { email: "nopw@example.com" } })).passwordHash).toBeNull();
  });

  it("refuses duplicates, bad emails and short passwords with exit code 1", async () => {
    expect(await twx(["user", "create", "dev@example.com"])).toMatchObject({ code: EXIT_FAILED, err: expect.stringContaining("already exists") });
    expect(await twx(["user", "create", "not-an-email"])).toMatchObject({ code: EXIT_FAILED, err: expect.stringContaining("not a valid email") });
    expect(await twx(["user", "create", "short@example.com", "--password", "short"])).toMatchObject({
      code: EXIT_FAILED,
      err: expect.stringContaining("at least 10 characters"),
    });
  });
});

describe("token", () => {
  it("prints only a token that the server's verifier accepts, and audits its issuance", async () => {
    const result = await twx(["token", "dev@example.com", "--ttl", "2h"]);
    expect(result.code).toBe(EXIT_OK);
    expect(result.out).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const verified = await createTokenService({ db: t.db, key: tokenKey }).verify(result.out);
    expect(verified).toMatchObject({ ok: true });
    if (verified.ok) expect(verified.expiresAt.getTime() - verified.issuedAt.getTime()).toBe(2 * 3600 * 1000);
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { action: "token.issued" }, orderBy: { createdAt: "desc" } });
    expect(event).toMatchObject({ actorId: null, metadata: expect.objectContaining({ via: "cli" }) });
  });

  it("refuses unknown users, bad lifetimes and missing arguments", async () => {
    expect(await twx(["token", "ghost@example.com"])).toMatchObject({ code: EXIT_FAILED, out: "", err: expect.stringContaining("No user") });
    expect(await twx(["token", "dev@example.com", "--ttl", "48h"])).toMatchObject({ code: EXIT_USAGE, out: "" });
    expect(await twx(["token", "dev@example.com", "--ttl", "soon"])).toMatchObject({ code: EXIT_USAGE });
    expect(await twx(["token"])).toMatchObject({ code: EXIT_USAGE, err: expect.stringContaining("Missing <email>") });
    expect(await twx(["token", "dev@example.com", "--bogus"])).toMatchObject({ code: EXIT_USAGE });
  });
});

describe("keys", () => {
  it("lists keys without secrets, and revokes by start or id", async () => {
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "dev@example.com" } });
    const first = await createKey(t.db, user.id, { name: "Production", scope: "full_access" }, { pepper: null, publisher: null });
    const second = await createKey(t.db, user.id, { name: "CI", scope: "read_only" }, { pepper: null, publisher: null });

    const listed = await twx(["keys", "list", "dev@example.com"]);
    expect(listed.code).toBe(EXIT_OK);
    expect(listed.out.split("\n")[0]).toMatch(/^ID\s+START\s+NAME\s+SCOPE\s+STATUS\s+CREATED\s+LAST USED\s+EXPIRES$/);
    expect(listed.out).toContain(first.start);
    expect(listed.out).toContain("Production");
    expect(listed.out).not.toContain(first.key);

    const byStart = await twx(["keys", "revoke", first.start]);
    expect(byStart.code).toBe(EXIT_OK);
    expect(byStart.out).toContain(`Revoked key ${first.start}`);
    expect(published.map((c) => c.keyId)).toContain(first.id);
    const again = await twx(["keys", "revoke", first.id]);
    expect(again.out).toContain("already revoked");

    const json = JSON.parse((await twx(["keys", "list", "dev@example.com", "--json"])).out);
    expect(json.find((k: { id: string }) => k.id === first.id).status).toBe("revoked");
    expect(json.find((k: { id: string }) => k.id === second.id).status).toBe("active");
    const operatorEvents = await t.db.auditEvent.count({ where: { action: "api_key.revoked_by_operator", targetId: first.id } });
    expect(operatorEvents).toBe(1);
  });

  it("refuses unknown references, full keys and ambiguous starts", async () => {
    expect(await twx(["keys", "revoke", "twx_zzzzz"])).toMatchObject({ code: EXIT_FAILED });
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "dev@example.com" } });
    const created = await createKey(t.db, user.id, { name: "Leaked", scope: "read_only" }, { pepper: null, publisher: null });
    const pasted = await twx(["keys", "revoke", created.key]);
    expect(pasted.code).toBe(EXIT_FAILED);
    expect(pasted.err).not.toContain(created.key);

    await t.db.apiKey.create({
      data: { userId: user.id, name: "Twin", scope: "read_only", hash: "f".repeat(64), start: created.start },
    });
    const ambiguous = await twx(["keys", "revoke", created.start]);
    expect(ambiguous.code).toBe(EXIT_FAILED);
    expect(ambiguous.err).toContain("Several keys");
    expect(await twx(["keys", "list", "ghost@example.com"])).toMatchObject({ code: EXIT_FAILED });
  });
});

describe("dispatch", () => {
  it("prints help and refuses unknown commands", async () => {
    expect((await twx([])).out).toContain("Usage: pnpm -s twx <command>");
    expect(() => resolveCommand(["frobnicate"])).toThrow(/Unknown command/);
    expect(() => resolveCommand(["keys", "delete"])).toThrow(/Unknown command "keys delete"/);
  });

  it("runs as pnpm -s twx from the repository root with exit codes", () => {
    const root = path.resolve(import.meta.dirname, "../../..");
    const env = { ...process.env, DATABASE_URL: t.url };
    const help = spawnSync("pnpm", ["-s", "twx", "--help"], { cwd: root, env, encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("keys revoke <key-start or id>");
    const unknown = spawnSync("pnpm", ["-s", "twx", "nope"], { cwd: root, env, encoding: "utf8" });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "nope"');
  }, 60_000);
});
