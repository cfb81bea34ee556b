/**
 * An operation is one method on one path: its credential and scope, its zod schemas, its
 * documentation and its handler. The wrapper (./handler) does everything else.
 */
import type { Database } from "@twx/db";
import type { TwinResponder } from "@twx/conversations";
import type { z } from "zod";
import type { ErrorCode } from "./errors";

export type ApiScope = "read_only" | "full_access";
export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

export type AuthRequirement =
  /** An API key whose scope grants `scope` (`full_access` grants `read_only`). */
  | { kind: "api_key"; scope: ApiScope }
  /** A user access token (JWT); API keys are refused with 403 api_key_not_allowed. */
  | { kind: "user_token" }
  | { kind: "none" };

// ---------------------------------------------------------------------------------------------
// Dependencies (injected: the app wires the real ones, tests wire fakes)
// ---------------------------------------------------------------------------------------------

export interface VerifiedApiKey {
  id: string;
  userId: string;
  scope: ApiScope;
  expiresAt: Date | null;
  /** Non-secret display prefix, the only part of a key that is ever logged. */
  start: string;
}

export type ApiKeyCheck =
  | { ok: true; key: VerifiedApiKey }
  | { ok: false; reason: "invalid" | "revoked" | "expired" };

export type UserTokenCheck = { ok: true; userId: string } | { ok: false; detail?: string };

/** `ip-failures`: requests whose API key was refused, counted per client address. */
export type RestLimitKind = "read_only" | "full_access" | "user-management" | "ip-failures";

export interface RateLimitDecision {
  success: boolean;
  limit: number;
  remaining: number;
  /** Unix time in ms when the window frees a request. */
  reset: number;
  /** Whole seconds to wait when refused. */
  retryAfterSeconds: number;
}

export interface ApiKeyView {
  id: string;
  name: string;
  scope: ApiScope;
  start: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** Key lifecycle as the REST layer needs it; errors are the keys domain's (mapped by `code`). */
export interface KeyManagement {
  create(userId: string, input: { name: string; scope: ApiScope; expiresAt: Date | null }): Promise<{ apiKey: ApiKeyView; key: string }>;
  list(userId: string): Promise<ApiKeyView[]>;
  rename(userId: string, keyId: string, name: string): Promise<ApiKeyView>;
  revoke(userId: string, keyId: string): Promise<{ id: string; revokedAt: Date }>;
}

/** Pino-compatible logger. */
export interface RestLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
  error(object: Record<string, unknown>, message: string): void;
}

export interface RestDependencies {
  db: Database;
  /** Verifies a presented API key. Must do no I/O for a malformed key. */
  authenticateApiKey(raw: string): Promise<ApiKeyCheck>;
  /** Counts one request of a verified key in its usage (memory, flushed in batches). */
  recordUse(key: { id: string }, options: { rateLimited: boolean }): void;
  verifyUserToken(token: string): Promise<UserTokenCheck>;
  rateLimit(kind: RestLimitKind, identifier: string): Promise<RateLimitDecision>;
  responder: TwinResponder;
  keys: KeyManagement;
  logger: RestLogger;
  /**
   * Behind a proxy the operator trusts, the client address is the first `X-Forwarded-For` hop;
   * otherwise it is the socket's (see ./client-address). Default false.
   */
  trustProxy?: boolean;
  /** Flushes buffered usage and lastUsed times and releases connections (graceful shutdown). */
  close?(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

export type Caller =
  | { kind: "api_key"; userId: string; key: VerifiedApiKey }
  | { kind: "user_token"; userId: string }
  | { kind: "none" };

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface OperationContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  caller: Caller;
  deps: RestDependencies;
  requestId: string;
}

export interface Pagination {
  nextCursor: string | null;
  hasMore: boolean;
}

export interface OperationResult {
  data: unknown;
  pagination?: Pagination;
  headers?: Record<string, string>;
}

export interface Operation<
  PS extends z.ZodType | undefined = z.ZodType | undefined,
  QS extends z.ZodType | undefined = z.ZodType | undefined,
  BS extends z.ZodType | undefined = z.ZodType | undefined,
> {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI path under /api/v1, e.g. `/conversations/{id}`. */
  path: string;
  summary: string;
  description?: string;
  tag: "API keys" | "Twins" | "Conversations" | "Meta";
  auth: AuthRequirement;
  params?: PS;
  query?: QS;
  body?: BS;
  success: {
    status: 200 | 201;
    description: string;
    /** The `data` schema (items of `data` for lists). */
    schema: z.ZodType;
    list?: boolean;
    /** Serve `data` as the whole body, without the envelope (the OpenAPI document). */
    raw?: boolean;
  };
  /** Domain errors beyond the ones every operation of its kind can answer. */
  errors?: ErrorCode[];
  examples: { request?: unknown; response: unknown };
  handle(context: OperationContext<Out<PS>, Out<QS>, Out<BS>>): Promise<OperationResult>;
}

export type AnyOperation = Operation<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>;

/** Identity with inference: the handler sees the parsed types of its own schemas. */
export function defineOperation<
  PS extends z.ZodType | undefined = undefined,
  QS extends z.ZodType | undefined = undefined,
  BS extends z.ZodType | undefined = undefined,
>(operation: Operation<PS, QS, BS>): AnyOperation {
  return operation as unknown as AnyOperation;
}

/** The account whose data an API-key operation sees. */
export function accountOf(caller: Caller): string {
  if (caller.kind !== "api_key") throw new Error("API key operation called without a key");
  return caller.userId;
}

/** The signed-in user of a user-token operation. */
export function userOf(caller: Caller): string {
  if (caller.kind !== "user_token") throw new Error("user token operation called without a token");
  return caller.userId;
}
