/**
 * twx — the operator CLI. Commands are plain functions over an injected database and output, so
 * tests run them without a shell.
 *
 * Exit codes: 0 done; 1 the command failed (unknown user, ambiguous key, database error...);
 * 2 usage error (unknown command, missing argument, bad option).
 */
import { parseArgs } from "node:util";
import { AccountError, createUserWithPassword, emailSchema, PASSWORD_MIN } from "@twx/accounts";
import { recordAuditEvent } from "@twx/audit";
import type { Database } from "@twx/db";
import { listKeys, revokeKey, type KeyChangePublisher } from "@twx/keys";
import { createTokenService, MAX_TTL_SECONDS, MIN_TTL_SECONDS, parseTtl, TokenTtlError } from "@twx/tokens";

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** All of standard input (for `--password -`). */
  readStdin(): Promise<string>;
}

export interface CliServices {
  db: Database;
  /** HS256 key of user access tokens (the server's, see @twx/tokens resolveJwtSecret). */
  tokenKey: Uint8Array;
  /** Tells running servers that a key changed (Redis); undefined without Redis. */
  keyChangePublisher?: KeyChangePublisher;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {
  constructor(
    message: string,
    readonly help: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CommandError";
  }
}

export const HELP = {
  main: `twx — TwinExpert operator commands

Usage: pnpm -s twx <command> [options]

Commands:
  user create <email> [--password <pw>] [--name <name>]
                                   Create a user (without --password: no password sign-in)
  token <email> [--ttl 1h]         Print a user access token (JWT) for /api/v1/auth/api-keys
  keys list <email> [--json]       List a user's API keys (never the secrets)
  keys revoke <key-start or id>    Revoke an API key at once (for a leaked key)

Options:
  -h, --help                       Show help (also: twx <command> --help)

Database: DATABASE_URL; unset, the embedded database of a running \`pnpm dev\`, or its folder.
Exit codes: 0 done, 1 failed, 2 usage error.`,
  userCreate: `Usage: pnpm -s twx user create <email> [--password <pw>] [--name <name>]

Creates a user. With --password (at least ${PASSWORD_MIN} characters; "-" reads it from standard
input, which keeps it out of the shell history) the user can sign in to the portal with it.
Without it the account has no password: it can use OAuth sign-in, and tokens from \`twx token\`.`,
  token: `Usage: pnpm -s twx token <email> [--ttl <lifetime>]

Prints only a user access token (JWT) for <email>, for the /api/v1/auth/api-keys endpoints:

  curl -X POST http://localhost:3000/api/v1/auth/api-keys \\
    -H "Authorization: Bearer $(pnpm -s twx token you@example.com)" \\
    -H "Content-Type: application/json" -d '{"name":"My App","scope":"full_access"}'

--ttl: 30m, 1h (default), 12h, 24h (the maximum), or seconds. Issuance is audited (token.issued).`,
  keysList: `Usage: pnpm -s twx keys list <email> [--json]

Lists every API key of <email>, newest first: id, start, name, scope, status and dates.`,
  keysRevoke: `Usage: pnpm -s twx keys revoke <key-start or id>

Revokes a key, identified by its id or by its start (the "twx_xxxxx" shown in lists and logs).
A start shared by several keys is refused: use the id. Revoking is immediate for servers that
share REDIS_URL with this command; without Redis a running server stops accepting the key within
a minute (its verification cache lifetime).`,
} as const;

function formatDate(date: Date | null): string {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, "Z") : "-";
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

async function findUserByEmail(db: Database, raw: string) {
  const parsed = emailSchema.safeParse(raw);
  if (!parsed.success) throw new CommandError(`"${raw}" is not a valid email address.`);
  const user = await db.user.findUnique({ where: { email: parsed.data }, select: { id: true, email: true } });
  if (!user) throw new CommandError(`No user with the email ${parsed.data}.`);
  return user;
}

type OptionSpec = Record<string, { type: "string" | "boolean" }>;

function parse(args: string[], options: OptionSpec, help: string): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, "."), help);
  }
}

function expectPositionals(positionals: string[], names: string[], help: string): string[] {
  if (positionals.length < names.length) throw new UsageError(`Missing ${names[positionals.length]}.`, help);
  if (positionals.length > names.length) throw new UsageError(`Unexpected argument "${positionals[names.length]}".`, help);
  return positionals;
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

async function userCreate(args: string[], services: CliServices, io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { password: { type: "string" }, name: { type: "string" } }, HELP.userCreate);
  if (values.help) return io.out(HELP.userCreate), EXIT_OK;
  const [rawEmail] = expectPositionals(positionals, ["<email>"], HELP.userCreate);
  const parsedEmail = emailSchema.safeParse(rawEmail);
  if (!parsedEmail.success) throw new CommandError(`"${rawEmail}" is not a valid email address.`);
  const email = parsedEmail.data;
  const { db } = services;
  if (await db.user.findUnique({ where: { email }, select: { id: true } })) {
    throw new CommandError(`A user with the email ${email} already exists.`);
  }

  let password = values.password as string | undefined;
  if (password === "-") password = (await io.readStdin()).replace(/\r?\n$/, "");
  const name = values.name as string | undefined;
  let user: { id: string; email: string };
  if (password !== undefined) {
    try {
      user = await createUserWithPassword(db, { email, password, ...(name ? { name } : {}) });
    } catch (error) {
      if (error instanceof AccountError) {
        const fields = Object.entries(error.fieldErrors)
          .map(([field, messages]) => `${field}: ${(messages ?? []).join(" ")}`)
          .join("; ");
        throw new CommandError(fields || error.message);
      }
      throw error;
    }
  } else {
    user = await db.user.create({ data: { email, name: name?.trim() || null }, select: { id: true, email: true } });
  }
  await recordAuditEvent(db, {
    actorId: null,
    action: "user.created",
    targetType: "user",
    targetId: user.id,
    metadata: { via: "cli", withPassword: password !== undefined },
  });
  io.out(`Created user ${user.email} (id ${user.id})${password === undefined ? " without a password" : ""}.`);
  return EXIT_OK;
}

async function token(args: string[], services: CliServices, io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { ttl: { type: "string" } }, HELP.token);
  if (values.help) return io.out(HELP.token), EXIT_OK;
  const [email] = expectPositionals(positionals, ["<email>"], HELP.token);
  let ttlSeconds: number | undefined;
  if (values.ttl !== undefined) {
    try {
      ttlSeconds = parseTtl(values.ttl as string);
    } catch (error) {
      throw new UsageError((error as Error).message, HELP.token);
    }
    if (ttlSeconds < MIN_TTL_SECONDS || ttlSeconds > MAX_TTL_SECONDS) {
      throw new UsageError(new TokenTtlError(ttlSeconds).message, HELP.token);
    }
  }
  const user = await findUserByEmail(services.db, email!);
  const tokens = createTokenService({ db: services.db, key: services.tokenKey });
  const issued = await tokens.issue({ userId: user.id, via: "cli", actorId: null, ...(ttlSeconds ? { ttlSeconds } : {}) });
  io.out(issued.token);
  return EXIT_OK;
}

function statusOf(key: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): string {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt <= now) return "expired";
  return "active";
}

async function keysList(args: string[], services: CliServices, io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: "boolean" } }, HELP.keysList);
  if (values.help) return io.out(HELP.keysList), EXIT_OK;
  const [email] = expectPositionals(positionals, ["<email>"], HELP.keysList);
  const user = await findUserByEmail(services.db, email!);
  const keys = await listKeys(services.db, user.id);
  const now = new Date();
  if (values.json) {
    io.out(JSON.stringify(keys.map((key) => ({ ...key, status: statusOf(key, now) })), null, 2));
    return EXIT_OK;
  }
  if (keys.length === 0) {
    io.out(`${user.email} has no API keys.`);
    return EXIT_OK;
  }
  io.out(
    table([
      ["ID", "START", "NAME", "SCOPE", "STATUS", "CREATED", "LAST USED", "EXPIRES"],
      ...keys.map((key) => [
        key.id,
        key.start,
        key.name,
        key.scope,
        statusOf(key, now),
        formatDate(key.createdAt),
        formatDate(key.lastUsedAt),
        formatDate(key.expiresAt),
      ]),
    ]),
  );
  return EXIT_OK;
}

async function keysRevoke(args: string[], services: CliServices, io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {}, HELP.keysRevoke);
  if (values.help) return io.out(HELP.keysRevoke), EXIT_OK;
  const [reference] = expectPositionals(positionals, ["<key-start or id>"], HELP.keysRevoke) as [string];
  if (/^twx_[0-9A-Za-z]{20,}$/.test(reference)) {
    // A whole key pasted by mistake: never look it up or echo it, it is a secret.
    throw new CommandError("That looks like a full API key. Pass its start (the first 9 characters) or its id instead.");
  }
  const { db } = services;
  const matches = await db.apiKey.findMany({
    where: { OR: [{ id: reference }, { start: reference }] },
    select: { id: true, start: true, name: true, userId: true, revokedAt: true, user: { select: { email: true } } },
    orderBy: { createdAt: "desc" },
  });
  if (matches.length === 0) throw new CommandError(`No API key with the id or start "${reference}".`);
  if (matches.length > 1) {
    const lines = matches.map((m) => `  ${m.id}  ${m.start}  ${m.name}  (${m.user.email})`);
    throw new CommandError(`Several keys start with "${reference}"; revoke one by its id:\n${lines.join("\n")}`);
  }
  const key = matches[0]!;
  const revoked = await revokeKey(db, key.userId, { id: key.id }, services.keyChangePublisher ? { publisher: services.keyChangePublisher } : {});
  if (!key.revokedAt) {
    await recordAuditEvent(db, {
      actorId: null,
      action: "api_key.revoked_by_operator",
      targetType: "api_key",
      targetId: key.id,
      metadata: { start: key.start, via: "cli" },
    });
  }
  io.out(
    key.revokedAt
      ? `Key ${key.start} ("${key.name}", ${key.user.email}) was already revoked at ${formatDate(revoked.revokedAt)}.`
      : `Revoked key ${key.start} ("${key.name}", ${key.user.email}) at ${formatDate(revoked.revokedAt)}.`,
  );
  if (!services.keyChangePublisher) {
    io.err("Note: REDIS_URL is not set, so running servers refuse this key within a minute (their cache lifetime).");
  }
  return EXIT_OK;
}

// ---------------------------------------------------------------------------------------------
// Dispatch
// ---------------------------------------------------------------------------------------------

type Command = (args: string[], services: CliServices, io: CliIo) => Promise<number>;

/** The command for `argv`, or the help text to print (`null` command) when none is asked for. */
export function resolveCommand(argv: string[]): { command: Command | null; args: string[]; help: string } {
  const [first, second, ...rest] = argv;
  if (first === undefined || first === "-h" || first === "--help" || first === "help") {
    return { command: null, args: [], help: HELP.main };
  }
  if (first === "user") {
    if (second === "create") return { command: userCreate, args: rest, help: HELP.userCreate };
    throw new UsageError(second ? `Unknown command "user ${second}".` : "Missing subcommand: user create.", HELP.main);
  }
  if (first === "token") return { command: token, args: argv.slice(1), help: HELP.token };
  if (first === "keys") {
    if (second === "list") return { command: keysList, args: rest, help: HELP.keysList };
    if (second === "revoke") return { command: keysRevoke, args: rest, help: HELP.keysRevoke };
    throw new UsageError(second ? `Unknown command "keys ${second}".` : "Missing subcommand: keys list or keys revoke.", HELP.main);
  }
  throw new UsageError(`Unknown command "${first}".`, HELP.main);
}

/** Runs a resolved command; maps errors to messages on stderr and exit codes. */
export async function runCommand(command: Command, args: string[], services: CliServices, io: CliIo): Promise<number> {
  try {
    return await command(args, services, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`Error: ${error.message}\n\n${error.help}`);
      return EXIT_USAGE;
    }
    if (error instanceof CommandError) {
      io.err(`Error: ${error.message}`);
      return EXIT_FAILED;
    }
    throw error;
  }
}

/** True when the arguments only ask for help, so no database is opened. */
export function wantsHelpOnly(args: string[]): boolean {
  return args.includes("--help") || args.includes("-h");
}
