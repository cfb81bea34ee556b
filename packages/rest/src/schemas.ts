/**
 * The zod schemas of the public API. Request schemas validate what clients send; response
 * schemas describe what is sent back. Both feed the OpenAPI document, so the document cannot
 * drift from what the code enforces.
 */
import { z } from "zod";

export const Scope = z.enum(["read_only", "full_access"]).meta({
  description: "`read_only`: read twins, conversations and messages (200 requests/hour). `full_access`: also create conversations and send messages (500 requests/hour).",
});

const timestamp = z.iso.datetime().meta({ description: "ISO 8601, UTC.", example: "2026-01-15T09:30:00.000Z" });
const id = z.string().meta({ description: "UUID v7.", example: "0198c2a4-6f1e-7a3b-9c1d-2e4f5a6b7c8d" });

// -------------------------------------------------------------------------------------------
// Requests
// -------------------------------------------------------------------------------------------

export const PageQuery = z.object({
  limit: z.coerce
    .number({ error: "must be a whole number from 1 to 100" })
    .int({ error: "must be a whole number from 1 to 100" })
    .min(1, { error: "must be a whole number from 1 to 100" })
    .max(100, { error: "must be a whole number from 1 to 100" })
    .default(20)
    .meta({ description: "Items per page, 1–100 (default 20)." }),
  cursor: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: "`pagination.nextCursor` of the previous page, as it is. Omit for the first page." }),
});

export const IdParams = z.object({
  id: z
    .string()
    // Ids are UUIDs; a control character (NUL above all, which Postgres text cannot hold) is
    // refused before it reaches a query.
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .regex(/^[^\u0000-\u001f\u007f]*$/, { error: "must not contain control characters" })
    .meta({ description: "The resource id." }),
});

const keyName = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, { error: "must be 1 to 64 characters" })
  .max(64, { error: "must be 1 to 64 characters" })
  .meta({ description: "A label for the key, 1–64 characters after trimming.", example: "My App" });

export const CreateApiKeyBody = z.strictObject({
  name: keyName,
  scope: Scope,
  expiresAt: z.iso
    .datetime({ offset: true, error: "must be an ISO 8601 date-time, e.g. 2030-01-01T00:00:00Z" })
    .nullable()
    .optional()
    .meta({ description: "When the key stops working. Omit or null: never." }),
});

export const RenameApiKeyBody = z.strictObject({ name: keyName });

export const CreateConversationBody = z.strictObject({
  twinId: z.string({ error: "must be a twin id" }).min(1, { error: "must be a twin id" }).max(100).meta({
    description: "A twin from `GET /twins`.",
  }),
  title: z
    .string({ error: "must be a string" })
    .trim()
    .min(1, { error: "must be 1 to 200 characters" })
    .max(200, { error: "must be 1 to 200 characters" })
    .optional()
    .meta({ description: "Defaults to \"Conversation with <twin>\" in the twin's language." }),
});

export const SendMessageBody = z.strictObject({
  content: z
    .string({ error: "must be a string" })
    .max(8000, { error: "must be 1 to 8,000 characters" })
    .trim()
    .min(1, { error: "must be 1 to 8,000 characters" })
    .meta({ description: "The question, 1–8,000 characters.", example: "Huyết áp bình thường là bao nhiêu?" }),
});

// -------------------------------------------------------------------------------------------
// Responses
// -------------------------------------------------------------------------------------------

export const ApiKey = z
  .object({
    id,
    name: z.string(),
    scope: Scope,
    start: z.string().meta({ description: "The first characters of the key, for recognising it. Not secret.", example: "twx_8fK2a" }),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    expiresAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  })
  .meta({ id: "ApiKey", description: "An API key, without its secret." });

export const CreatedApiKey = z
  .object({
    id,
    key: z.string().meta({ description: "The full API key. Shown this once: store it now.", example: "twx_8fK2aQ0vXb3LmN5pR7sT9uW1yZ4cE6gH1bZ9xQ" }),
    name: z.string(),
    scope: Scope,
    start: z.string(),
    createdAt: timestamp,
    expiresAt: timestamp.nullable(),
  })
  .meta({ id: "CreatedApiKey" });

export const RevokedApiKey = z.object({ id, revokedAt: timestamp }).meta({ id: "RevokedApiKey" });

export const Twin = z
  .object({
    id,
    name: z.string(),
    expertise: z.string(),
    description: z.string(),
    avatarUrl: z.string().nullable(),
  })
  .meta({ id: "Twin", description: "A digital twin of an expert." });

export const Conversation = z
  .object({ id, twinId: id, title: z.string(), createdAt: timestamp, updatedAt: timestamp })
  .meta({ id: "Conversation", description: "`updatedAt` moves with every message." });

export const Message = z
  .object({
    id,
    conversationId: id,
    role: z.enum(["user", "twin"]),
    content: z.string(),
    createdAt: timestamp,
  })
  .meta({ id: "Message" });

export const MessageExchange = z
  .object({ message: Message, reply: Message })
  .meta({ id: "MessageExchange", description: "The stored question and the twin's stored reply." });

export const Pagination = z
  .object({
    nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page." }),
    hasMore: z.boolean(),
  })
  .meta({ id: "Pagination" });

export const ErrorBody = z
  .object({
    success: z.literal(false),
    error: z
      .object({
        code: z.string().meta({ description: "Stable, snake_case: switch on this, not on the message." }),
        message: z.string().meta({ description: "A human sentence; may change." }),
        details: z
          .array(z.object({ path: z.string(), message: z.string() }))
          .optional()
          .meta({ description: "`validation_error` only: one entry per invalid field." }),
        requiredScope: Scope.optional().meta({ description: "`insufficient_scope` only." }),
        retryAfter: z.number().int().optional().meta({ description: "`rate_limited` and `service_unavailable`: seconds." }),
      })
      .catchall(z.unknown()),
  })
  .meta({ id: "Error" });

/** `{ success: true, data }`, plus `pagination` for lists. */
export function successEnvelope(data: z.ZodType, list = false) {
  return list
    ? z.object({ success: z.literal(true), data: z.array(data), pagination: Pagination })
    : z.object({ success: z.literal(true), data });
}
