/**
 * Key lifecycle: create, list, get, rename, revoke, roll. Every function takes the database, the
 * acting user's id and its input; checks ownership (another user's key is "not found"); validates
 * its input with zod; writes the change and its audit event in one transaction; then tells the
 * verifiers (see notify.ts) so the change is effective at once.
 */
import { recordAuditEvent } from "@twx/audit";
import { ApiKeyScope, type Database, type Prisma } from "@twx/db";
import { z } from "zod";
import { KeyLimitExceededError, KeyNotFoundError, KeyStateError, UnknownActorError, ValidationError } from "./errors";
import { generateKey, keyStart } from "./format";
import { hashKey, pepperFromEnv } from "./hash";
import { hasControlCharacters, KEY_NAME_MAX } from "./name";
import { announceKeyChange, type KeyChange, type KeyChangePublisher } from "./notify";

/** Active keys (not revoked, not expired) an owner may hold at once. */
export const MAX_ACTIVE_KEYS = 50;
export const MAX_ROLL_GRACE_SECONDS = 7 * 24 * 60 * 60;
export { KEY_NAME_MAX } from "./name";

export const AUDIT_TARGET_TYPE = "api_key";
export const AUDIT_ACTIONS = {
  created: "api_key.created",
  renamed: "api_key.renamed",
  revoked: "api_key.revoked",
  rolled: "api_key.rolled",
} as const;

/** API.md's `ApiKey`. Never carries the secret or its hash. */
export interface ApiKeyDto {
  id: string;
  name: string;
  scope: ApiKeyScope;
  start: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** Returned once, by create and roll: `key` is the full secret and is never obtainable again. */
export interface ApiKeyWithSecret extends ApiKeyDto {
  key: string;
}

export interface RollResult {
  /** The new key, with its secret. */
  key: ApiKeyWithSecret;
  /** The old key as it is now: revoked (grace 0) or expiring at the end of the grace period. */
  previous: ApiKeyDto;
}

export interface LifecycleOptions {
  /** The current time (tests); defaults to now. */
  now?: Date;
  /** HMAC pepper for the stored hash; defaults to API_KEY_PEPPER, null for none. */
  pepper?: string | null;
  /** Where cross-process notices go; defaults to the process publisher, null for none. */
  publisher?: KeyChangePublisher | null;
}

// ---------------------------------------------------------------------------------------------
// Input validation
// ---------------------------------------------------------------------------------------------

const name = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, "must not be empty")
  .max(KEY_NAME_MAX, `must be at most ${KEY_NAME_MAX} characters`)
  .refine((v) => !hasControlCharacters(v), "must not contain control characters");

const scope = z.enum([ApiKeyScope.read_only, ApiKeyScope.full_access], {
  error: "must be read_only or full_access",
});

const id = z.string({ error: "must be a string" });

/** A Date or an ISO 8601 timestamp with a time zone, in the future. */
const futureDate = (now: Date) =>
  z
    .union([z.date(), z.iso.datetime({ offset: true, error: "must be an ISO 8601 timestamp" })], {
      error: "must be an ISO 8601 timestamp",
    })
    .transform((v) => new Date(v))
    .refine((d) => !Number.isNaN(d.getTime()), "must be a valid date")
    .refine((d) => d.getTime() > now.getTime(), "must be in the future");

function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message })),
  );
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const dtoSelect = {
  id: true,
  name: true,
  scope: true,
  start: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
} satisfies Prisma.ApiKeySelect;

function toDto(row: Prisma.ApiKeyGetPayload<{ select: typeof dtoSelect }>): ApiKeyDto {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    start: row.start,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
  };
}

function activeWhere(userId: string, now: Date): Prisma.ApiKeyWhereInput {
  return { userId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}

/**
 * Lock the owner's row for the rest of the transaction. Serialises an owner's creates and rolls,
 * so two concurrent requests cannot both see 49 active keys and end at 51.
 */
async function lockOwner(tx: Prisma.TransactionClient, userId: string): Promise<void> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM users WHERE id = ${userId} FOR UPDATE`;
  if (rows.length === 0) throw new UnknownActorError();
}

async function findOwned(tx: Prisma.TransactionClient, actorUserId: string, keyId: string) {
  const row = await tx.apiKey.findFirst({
    where: { id: keyId, userId: actorUserId },
    select: { ...dtoSelect, hash: true, userId: true },
  });
  if (!row) throw new KeyNotFoundError(keyId);
  return row;
}

async function announceAll(changes: KeyChange[], options: LifecycleOptions): Promise<void> {
  for (const change of changes) await announceKeyChange(change, options.publisher);
}

/**
 * Creates and rolls wait for the owner's row lock held by a concurrent one; give them longer than
 * Prisma's defaults (2 s to get a connection, 5 s to finish) before failing.
 */
const LOCKING_TX = { maxWait: 5_000, timeout: 10_000 } as const;

function newSecret(pepper: string | null | undefined) {
  const key = generateKey();
  return { key, hash: hashKey(key, pepper), start: keyStart(key) };
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

export interface CreateKeyInput {
  name: string;
  scope: ApiKeyScope | `${ApiKeyScope}`;
  expiresAt?: Date | string | null;
}

/** Create a key. Refused with {@link KeyLimitExceededError} when the owner holds 50 active keys. */
export async function createKey(
  db: Database,
  actorUserId: string,
  input: CreateKeyInput,
  options: LifecycleOptions = {},
): Promise<ApiKeyWithSecret> {
  const now = options.now ?? new Date();
  const data = parseInput(
    z.object({ name, scope, expiresAt: futureDate(now).nullish() }),
    input,
  );
  const secret = newSecret(options.pepper === undefined ? (pepperFromEnv() ?? null) : options.pepper);

  const created = await db.$transaction(async (tx) => {
    await lockOwner(tx, actorUserId);
    const active = await tx.apiKey.count({ where: activeWhere(actorUserId, now) });
    if (active >= MAX_ACTIVE_KEYS) throw new KeyLimitExceededError(MAX_ACTIVE_KEYS);
    const row = await tx.apiKey.create({
      data: {
        userId: actorUserId,
        name: data.name,
        scope: data.scope,
        hash: secret.hash,
        start: secret.start,
        createdAt: now,
        expiresAt: data.expiresAt ?? null,
      },
      select: dtoSelect,
    });
    await recordAuditEvent(tx, {
      actorId: actorUserId,
      action: AUDIT_ACTIONS.created,
      targetType: AUDIT_TARGET_TYPE,
      targetId: row.id,
      metadata: { name: row.name, scope: row.scope, start: row.start, expiresAt: row.expiresAt },
    });
    return row;
  }, LOCKING_TX);

  // A new hash must not be shadowed by an "unknown key" answer cached before it existed.
  await announceAll([{ kind: "created", keyId: created.id, hash: secret.hash }], options);
  return { ...toDto(created), key: secret.key };
}

export interface ListKeysInput {
  /** Include revoked keys (default true: the portal shows them greyed out). */
  includeRevoked?: boolean;
}

/** The owner's keys, newest first. Never a secret or a hash. */
export async function listKeys(
  db: Database,
  actorUserId: string,
  input: ListKeysInput = {},
): Promise<ApiKeyDto[]> {
  const { includeRevoked } = parseInput(
    z.object({ includeRevoked: z.boolean().default(true) }),
    input,
  );
  const rows = await db.apiKey.findMany({
    where: { userId: actorUserId, ...(includeRevoked ? {} : { revokedAt: null }) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: dtoSelect,
  });
  return rows.map(toDto);
}

/** One of the owner's keys. */
export async function getKey(db: Database, actorUserId: string, input: { id: string }): Promise<ApiKeyDto> {
  const data = parseInput(z.object({ id }), input);
  const row = await db.apiKey.findFirst({ where: { id: data.id, userId: actorUserId }, select: dtoSelect });
  if (!row) throw new KeyNotFoundError(data.id);
  return toDto(row);
}

/** Rename a key (revoked keys too: the name is only a label). */
export async function renameKey(
  db: Database,
  actorUserId: string,
  input: { id: string; name: string },
): Promise<ApiKeyDto> {
  const data = parseInput(z.object({ id, name }), input);
  return db.$transaction(async (tx) => {
    const current = await findOwned(tx, actorUserId, data.id);
    if (current.name === data.name) return toDto(current);
    const row = await tx.apiKey.update({ where: { id: current.id }, data: { name: data.name }, select: dtoSelect });
    await recordAuditEvent(tx, {
      actorId: actorUserId,
      action: AUDIT_ACTIONS.renamed,
      targetType: AUDIT_TARGET_TYPE,
      targetId: row.id,
      metadata: { from: current.name, to: row.name, start: row.start },
    });
    return toDto(row);
  });
}

/**
 * Revoke a key: refused by every verifier from the moment this returns. Idempotent: revoking a
 * revoked key returns its original `revokedAt` and records nothing new.
 */
export async function revokeKey(
  db: Database,
  actorUserId: string,
  input: { id: string },
  options: LifecycleOptions = {},
): Promise<{ id: string; revokedAt: Date }> {
  const data = parseInput(z.object({ id }), input);
  const now = options.now ?? new Date();
  const result = await db.$transaction(async (tx) => {
    const current = await findOwned(tx, actorUserId, data.id);
    // Conditional update: of two concurrent revokes exactly one changes the row and is audited.
    const { count } = await tx.apiKey.updateMany({
      where: { id: current.id, revokedAt: null },
      data: { revokedAt: now },
    });
    if (count === 0) {
      const existing = await tx.apiKey.findUniqueOrThrow({ where: { id: current.id }, select: { revokedAt: true } });
      return { id: current.id, revokedAt: existing.revokedAt ?? now, hash: current.hash, changed: false };
    }
    await recordAuditEvent(tx, {
      actorId: actorUserId,
      action: AUDIT_ACTIONS.revoked,
      targetType: AUDIT_TARGET_TYPE,
      targetId: current.id,
      metadata: { name: current.name, start: current.start },
    });
    return { id: current.id, revokedAt: now, hash: current.hash, changed: true };
  });
  // Announced even when nothing changed: a retried revoke also retries a notice that was lost.
  await announceAll([{ kind: "revoked", keyId: result.id, hash: result.hash }], options);
  return { id: result.id, revokedAt: result.revokedAt };
}

export interface RollKeyInput {
  id: string;
  /**
   * How long the old key keeps working, 0 to 7 days (default 0: revoked now). The old key's
   * expiry becomes the earlier of its own and now + grace.
   */
  gracePeriodSeconds?: number;
  /** Expiry of the new key; default: the old key's original expiry (null: none). */
  expiresAt?: Date | string | null;
}

/**
 * Replace a key's secret: a new key with the same name and scope, linked by `rolledFromId`. A key
 * can be rolled once (roll the new one next), not when revoked or expired. With a grace period
 * both keys are active until it ends, so it needs room under the 50-key cap; a roll with grace 0
 * swaps one active key for another and is always allowed.
 */
export async function rollKey(
  db: Database,
  actorUserId: string,
  input: RollKeyInput,
  options: LifecycleOptions = {},
): Promise<RollResult> {
  const now = options.now ?? new Date();
  const data = parseInput(
    z.object({
      id,
      gracePeriodSeconds: z
        .number({ error: "must be a number of seconds" })
        .int("must be a whole number of seconds")
        .min(0, "must not be negative")
        .max(MAX_ROLL_GRACE_SECONDS, "must be at most 7 days (604800 seconds)")
        .default(0),
      expiresAt: futureDate(now).nullish(),
    }),
    input,
  );
  const secret = newSecret(options.pepper === undefined ? (pepperFromEnv() ?? null) : options.pepper);

  const outcome = await db.$transaction(async (tx) => {
    await lockOwner(tx, actorUserId);
    const old = await findOwned(tx, actorUserId, data.id);
    if (old.revokedAt) throw new KeyStateError("This API key is revoked; create a new key instead.");
    if (old.expiresAt && old.expiresAt.getTime() <= now.getTime()) {
      throw new KeyStateError("This API key has expired; create a new key instead.");
    }
    const successor = await tx.apiKey.findUnique({ where: { rolledFromId: old.id }, select: { id: true } });
    if (successor) throw new KeyStateError("This API key was already rolled; roll its replacement instead.");

    if (data.gracePeriodSeconds > 0) {
      const active = await tx.apiKey.count({ where: activeWhere(actorUserId, now) });
      if (active >= MAX_ACTIVE_KEYS) {
        throw new KeyLimitExceededError(
          MAX_ACTIVE_KEYS,
          "During a grace period both keys are active: roll without a grace period, or revoke a key first.",
        );
      }
    }

    let previous;
    if (data.gracePeriodSeconds === 0) {
      previous = await tx.apiKey.update({ where: { id: old.id }, data: { revokedAt: now }, select: dtoSelect });
    } else {
      const graceEnd = new Date(now.getTime() + data.gracePeriodSeconds * 1000);
      const expiresAt = old.expiresAt && old.expiresAt < graceEnd ? old.expiresAt : graceEnd;
      previous = await tx.apiKey.update({ where: { id: old.id }, data: { expiresAt }, select: dtoSelect });
    }

    const newExpiry = data.expiresAt !== undefined ? data.expiresAt : old.expiresAt;
    const created = await tx.apiKey.create({
      data: {
        userId: actorUserId,
        name: old.name,
        scope: old.scope,
        hash: secret.hash,
        start: secret.start,
        createdAt: now,
        expiresAt: newExpiry,
        rolledFromId: old.id,
      },
      select: dtoSelect,
    });
    await recordAuditEvent(tx, {
      actorId: actorUserId,
      action: AUDIT_ACTIONS.rolled,
      targetType: AUDIT_TARGET_TYPE,
      targetId: old.id,
      metadata: {
        newKeyId: created.id,
        oldStart: old.start,
        newStart: created.start,
        gracePeriodSeconds: data.gracePeriodSeconds,
        oldKeyExpiresAt: previous.expiresAt,
        oldKeyRevokedAt: previous.revokedAt,
      },
    });
    return { previous, created, oldHash: old.hash };
  }, LOCKING_TX);

  await announceAll(
    [
      {
        kind: data.gracePeriodSeconds === 0 ? "revoked" : "expiry_changed",
        keyId: outcome.previous.id,
        hash: outcome.oldHash,
      },
      { kind: "created", keyId: outcome.created.id, hash: secret.hash },
    ],
    options,
  );
  return { key: { ...toDto(outcome.created), key: secret.key }, previous: toDto(outcome.previous) };
}
