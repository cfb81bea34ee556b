/**
 * Audit trail: who did what to which object. Written inside the same transaction as the change it
 * describes (pass the transaction client), so an event exists exactly when the change does.
 * Read newest first with keyset pagination on (createdAt, id) for the portal's activity page.
 */
import type { Prisma } from "@twx/db";
import { z } from "zod";

/** Anything with the audit table: the Prisma client or an interactive transaction client. */
export type AuditWriter = Pick<Prisma.TransactionClient, "auditEvent">;

export interface AuditEventInput {
  /** The acting user; null for an operator or the system. */
  actorId: string | null;
  /** Dotted verb, e.g. `api_key.created`. */
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  /** Context for the event. Never a secret: checked by {@link assertNoSecrets}. */
  metadata?: Record<string, unknown>;
}

export interface AuditEventDto {
  id: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

export class AuditSecretError extends Error {
  constructor(readonly path: string) {
    super(`Audit metadata must not hold secrets (at ${path}).`);
    this.name = "AuditSecretError";
  }
}

const ACTION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
/** Property names that only ever hold secrets. */
const SECRET_NAMES = /^(key|secret|password|passwordhash|token|accesstoken|refreshtoken|idtoken|hash|apikey|pepper)$/i;
/** A full API key (`start` is 9 characters and allowed; a full key is much longer). */
const FULL_API_KEY = /twx_[0-9A-Za-z]{16,}/;
/** JWT-looking strings. */
const JWT = /eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/;

/**
 * Throws when metadata carries something that looks like a secret. A backstop, not a filter:
 * callers choose what to record, and this catches the mistake of passing the wrong object.
 */
export function assertNoSecrets(value: unknown, path = "metadata"): void {
  if (typeof value === "string") {
    if (FULL_API_KEY.test(value) || JWT.test(value)) throw new AuditSecretError(path);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertNoSecrets(item, `${path}[${i}]`));
    return;
  }
  if (value && typeof value === "object" && !(value instanceof Date)) {
    for (const [name, item] of Object.entries(value)) {
      if (SECRET_NAMES.test(name)) throw new AuditSecretError(`${path}.${name}`);
      assertNoSecrets(item, `${path}.${name}`);
    }
  }
}

/** JSON-safe copy: Dates become ISO strings, undefined members are dropped. */
function toJson(metadata: Record<string, unknown>): Prisma.InputJsonObject {
  return JSON.parse(JSON.stringify(metadata)) as Prisma.InputJsonObject;
}

function toDto(row: {
  id: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  metadata: Prisma.JsonValue;
  createdAt: Date;
}): AuditEventDto {
  const metadata =
    row.metadata && typeof row.metadata === "object" && !Array.isArray(row.metadata)
      ? (row.metadata as Record<string, unknown>)
      : {};
  return { ...row, metadata };
}

/** Record one event. Pass the transaction client (`tx`) of the change being audited. */
export async function recordAuditEvent(db: AuditWriter, input: AuditEventInput): Promise<AuditEventDto> {
  if (!ACTION.test(input.action)) {
    throw new TypeError(`Audit action must be a dotted lower-case verb, got "${input.action}".`);
  }
  const metadata = input.metadata ?? {};
  assertNoSecrets(metadata);
  const row = await db.auditEvent.create({
    data: {
      actorId: input.actorId,
      action: input.action,
      targetType: input.targetType ?? null,
      targetId: input.targetId ?? null,
      metadata: toJson(metadata),
    },
  });
  return toDto(row);
}

export const AUDIT_PAGE_DEFAULT = 20;
export const AUDIT_PAGE_MAX = 100;

/** Opaque cursor: base64url of `<createdAt ms>.<id>` of the last item of a page. */
export function encodeAuditCursor(event: { createdAt: Date; id: string }): string {
  return Buffer.from(`${event.createdAt.getTime()}.${event.id}`, "utf8").toString("base64url");
}

export class InvalidCursorError extends Error {
  readonly code = "validation_error" as const;
  constructor() {
    super("Invalid cursor.");
    this.name = "InvalidCursorError";
  }
}

export function decodeAuditCursor(cursor: string): { createdAt: Date; id: string } {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const dot = text.indexOf(".");
  const ms = Number(text.slice(0, dot));
  const id = text.slice(dot + 1);
  if (dot <= 0 || !Number.isSafeInteger(ms) || id.length === 0 || id.length > 64) {
    throw new InvalidCursorError();
  }
  return { createdAt: new Date(ms), id };
}

const listInput = z.object({
  actorId: z.string().min(1),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(AUDIT_PAGE_MAX).default(AUDIT_PAGE_DEFAULT),
});

export interface AuditPage {
  items: AuditEventDto[];
  nextCursor: string | null;
  hasMore: boolean;
}

/**
 * An actor's events, newest first. Keyset pagination on (createdAt, id) — stable while new events
 * arrive, and served by the (actorId, createdAt desc, id desc) index.
 */
export async function listAuditEvents(
  db: AuditWriter,
  input: { actorId: string; cursor?: string | null; limit?: number },
): Promise<AuditPage> {
  const { actorId, cursor, limit } = listInput.parse({ ...input, cursor: input.cursor ?? undefined });
  const after = cursor ? decodeAuditCursor(cursor) : undefined;
  const rows = await db.auditEvent.findMany({
    where: {
      actorId,
      ...(after
        ? {
            OR: [
              { createdAt: { lt: after.createdAt } },
              { createdAt: after.createdAt, id: { lt: after.id } },
            ],
          }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const hasMore = rows.length > limit;
  const items = rows.slice(0, limit).map(toDto);
  const last = items.at(-1);
  return { items, hasMore, nextCursor: hasMore && last ? encodeAuditCursor(last) : null };
}
