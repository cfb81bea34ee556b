/**
 * The one wrapper every route of /api/v1 goes through. In order:
 *
 *   1. request id (every response carries `X-Request-Id`);
 *   2. credentials: one of `Authorization: Bearer` / `X-API-Key`, or 400 ambiguous_credentials;
 *   3. API-key operations: verify the key (a malformed key costs no I/O), then count the request
 *      against the key's rate limit and usage, whatever happens next, then check the scope;
 *      user-token operations: refuse API keys, verify the token, count against the per-user
 *      key-management limit;
 *   4. path parameters, query and body (size limit, JSON, zod) → 400/413;
 *   5. the handler; its result in the success envelope;
 *   6. any failure → the error envelope; database down → 503 with Retry-After; anything
 *      unexpected → 500 with the request id and nothing else;
 *   7. one structured log line per request (never a credential; the key's `start` only).
 */
import { randomUUID } from "node:crypto";
import { InvalidCursorError, NotFoundError } from "@twx/conversations";
import { KeysError, type ValidationError } from "@twx/keys";
import { type z } from "zod";
import { ApiError, bearerChallenge, ERROR_CODES, type ErrorCode } from "./errors";
import { clientAddress } from "./client-address";
import { describeError, isDatabaseUnavailable, scrub } from "./failures";
import { jsonResponse, readCredentials, readJsonBody, singleCredential } from "./http";
import type {
  AnyOperation,
  Caller,
  RateLimitDecision,
  RestDependencies,
  VerifiedApiKey,
} from "./operation";

/** Next.js passes the dynamic segments as a promise. */
export interface RouteContext {
  params?: Promise<Record<string, string | string[] | undefined>>;
}

export type RouteHandler = (request: Request, context: RouteContext) => Promise<Response>;

/** Seconds a client should wait when the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

const KEY_LOOKS_LIKE = /^twx_/i;

function newRequestId(): string {
  return `req_${randomUUID().replaceAll("-", "")}`;
}

function rateLimitHeaders(headers: Headers, decision: RateLimitDecision): void {
  headers.set("X-RateLimit-Limit", String(decision.limit));
  headers.set("X-RateLimit-Remaining", String(Math.max(0, decision.remaining)));
  headers.set("X-RateLimit-Reset", String(Math.ceil(decision.reset / 1000)));
}

function rateLimited(decision: RateLimitDecision): ApiError {
  const seconds = Math.max(1, decision.retryAfterSeconds);
  return new ApiError(
    "rate_limited",
    `Rate limit of ${decision.limit} requests exceeded; retry in ${seconds} second${seconds === 1 ? "" : "s"}.`,
    { fields: { retryAfter: seconds }, headers: { "Retry-After": String(seconds) } },
  );
}

/** zod issues → `details: [{ path, message }]`, paths prefixed by where the value came from. */
function validationError(where: "body" | "query" | "path", error: z.ZodError): ApiError {
  const details = error.issues.flatMap((issue) => {
    const prefix = scrub(issue.path.map(String).join("."));
    // One detail per unknown field, at the field itself: `{ path: "colour", message: "unknown field" }`.
    if (issue.code === "unrecognized_keys") {
      // Field names are the client's text: a credential pasted as a name is not echoed back.
      return issue.keys.map((key) => ({ path: prefix ? `${prefix}.${scrub(key)}` : scrub(key), message: "unknown field" }));
    }
    return [{ path: prefix || (where === "body" ? "body" : where), message: issue.message }];
  });
  const first = details[0]!;
  const summary = details.length === 1 ? `${first.path}: ${first.message}` : `${details.length} fields are invalid`;
  return new ApiError("validation_error", `Invalid ${where === "path" ? "path parameter" : where === "query" ? "query parameter" : "request body"} (${summary}).`, { details });
}

function parseWith<S extends z.ZodType | undefined>(schema: S, value: unknown, where: "body" | "query" | "path") {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(where, result.error);
  return result.data;
}

const KEYS_ERROR_NAMES = new Set(["KeyNotFoundError", "KeyLimitExceededError", "ValidationError", "KeyStateError", "UnknownActorError"]);

/**
 * True for a `@twx/keys` domain error, also one built by another copy of that module: the
 * dependencies are created once per process (possibly by the instrumentation bundle, whose
 * module instances differ from a route's) and shared through globalThis.
 */
function isKeysError(error: unknown): error is KeysError {
  if (error instanceof KeysError) return true;
  const e = error as { name?: unknown; code?: unknown } | null;
  return typeof e === "object" && e !== null && typeof e.name === "string" && KEYS_ERROR_NAMES.has(e.name) && typeof e.code === "string";
}

function isNotFoundError(error: unknown): error is NotFoundError {
  if (error instanceof NotFoundError) return true;
  const e = error as { name?: unknown; resource?: unknown } | null;
  return typeof e === "object" && e !== null && e.name === "NotFoundError" && (e.resource === "twin" || e.resource === "conversation");
}

/** Domain errors of other packages → API errors, by class and, for keys, by their stable `code`. */
function fromDomainError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (isNotFoundError(error)) return new ApiError("not_found", error.message);
  if (error instanceof InvalidCursorError) {
    return new ApiError("validation_error", error.message, { details: [{ path: "cursor", message: error.message }] });
  }
  if (isKeysError(error)) {
    switch (error.code) {
      case "not_found":
      case "conflict":
      case "key_limit_exceeded":
        return new ApiError(error.code, error.message);
      case "validation_error":
        return new ApiError("validation_error", error.message, { details: (error as ValidationError).details });
      case "unknown_actor":
        // The token's user was deleted between verification and the change.
        return new ApiError("invalid_token", "The access token's user no longer exists.", {
          headers: { "WWW-Authenticate": bearerChallenge("invalid_token") },
        });
    }
  }
  return undefined;
}

interface LogState {
  requestId: string;
  method: string;
  path: string;
  operationId: string;
  keyStart?: string;
  keyId?: string;
  userId?: string;
  rateLimitRemaining?: number;
}

async function authenticate(
  operation: AnyOperation,
  request: Request,
  deps: () => RestDependencies,
  headers: Headers,
  log: LogState,
): Promise<Caller> {
  const auth = operation.auth;
  if (auth.kind === "none") return { kind: "none" };

  const presented = readCredentials(request.headers);
  const credential = singleCredential(presented);

  if (auth.kind === "user_token") {
    // Key management with a key would let a leaked key mint keys for itself.
    if (presented.apiKey !== undefined || (credential !== undefined && KEY_LOOKS_LIKE.test(credential))) {
      throw new ApiError(
        "api_key_not_allowed",
        "API keys cannot manage API keys. Send a user access token: Authorization: Bearer <token>.",
      );
    }
    if (credential === undefined) {
      throw new ApiError("missing_credentials", "Send a user access token: Authorization: Bearer <token>.", {
        headers: { "WWW-Authenticate": bearerChallenge() },
      });
    }
    const checked = await deps().verifyUserToken(credential);
    if (!checked.ok) {
      throw new ApiError("invalid_token", "The access token is invalid or expired. Request a new one.", {
        headers: { "WWW-Authenticate": bearerChallenge("invalid_token") },
      });
    }
    log.userId = checked.userId;
    const decision = await deps().rateLimit("user-management", checked.userId);
    rateLimitHeaders(headers, decision);
    log.rateLimitRemaining = decision.remaining;
    if (!decision.success) throw rateLimited(decision);
    return { kind: "user_token", userId: checked.userId };
  }

  if (credential === undefined) {
    throw new ApiError(
      "missing_credentials",
      presented.unsupportedAuthorization
        ? "The Authorization header must use the Bearer scheme: Authorization: Bearer <key>."
        : "Send your API key: Authorization: Bearer <key> or X-API-Key: <key>.",
      { headers: { "WWW-Authenticate": bearerChallenge() } },
    );
  }
  const checked = await deps().authenticateApiKey(credential);
  if (!checked.ok) {
    // Failed key attempts are limited per client address: past the limit, 429 instead of 401.
    const address = clientAddress(request.headers, deps().trustProxy ?? false);
    if (address) {
      const decision = await deps().rateLimit("ip-failures", address);
      if (!decision.success) throw rateLimited(decision);
    }
    const [code, message]: [ErrorCode, string] =
      checked.reason === "revoked"
        ? ["api_key_revoked", "This API key was revoked. Create a new key."]
        : checked.reason === "expired"
          ? ["api_key_expired", "This API key has expired. Create a new key."]
          : ["invalid_api_key", "The API key is not valid."];
    throw new ApiError(code, message, { headers: { "WWW-Authenticate": bearerChallenge("invalid_token") } });
  }
  const key: VerifiedApiKey = checked.key;
  log.keyStart = key.start;
  log.keyId = key.id;
  log.userId = key.userId;

  // Every request with a valid key counts, whatever its outcome (scope, validation, 404...).
  const decision = await deps().rateLimit(key.scope, key.id);
  deps().recordUse(key, { rateLimited: !decision.success });
  rateLimitHeaders(headers, decision);
  log.rateLimitRemaining = decision.remaining;
  if (!decision.success) throw rateLimited(decision);

  if (auth.scope === "full_access" && key.scope !== "full_access") {
    throw new ApiError(
      "insufficient_scope",
      `This endpoint requires the full_access scope; this key has ${key.scope}.`,
      {
        fields: { requiredScope: "full_access" },
        headers: { "WWW-Authenticate": bearerChallenge("insufficient_scope", "full_access") },
      },
    );
  }
  return { kind: "api_key", userId: key.userId, key };
}

function errorResponse(error: ApiError, headers: Headers): Response {
  for (const [name, value] of Object.entries(error.extra.headers ?? {})) headers.set(name, value);
  if (error.isCredentialError && !headers.has("WWW-Authenticate")) headers.set("WWW-Authenticate", bearerChallenge());
  return jsonResponse(
    error.status,
    {
      success: false,
      error: {
        code: error.code,
        message: error.message,
        ...(error.extra.details ? { details: error.extra.details } : {}),
        ...error.extra.fields,
      },
    },
    headers,
  );
}

/** Fallback logger for failures that happen before the dependencies exist. */
const consoleFallback = {
  error: (object: Record<string, unknown>, message: string) => console.error(JSON.stringify({ level: "error", msg: message, ...object })),
};

export function createRestHandler(operation: AnyOperation, deps: () => RestDependencies): RouteHandler {
  return async (request, context) => {
    const started = performance.now();
    const requestId = newRequestId();
    const headers = new Headers({ "X-Request-Id": requestId, "Cache-Control": "no-store" });
    const log: LogState = {
      requestId,
      method: request.method,
      // A credential pasted into the path must not reach the log.
      path: scrub(new URL(request.url).pathname),
      operationId: operation.operationId,
    };
    let response: Response;
    let failure: unknown;
    let errorCode: string | undefined;

    try {
      const caller = await authenticate(operation, request, deps, headers, log);
      const rawParams = (await context.params) ?? {};
      const params = parseWith(operation.params, rawParams, "path");
      const query = parseWith(operation.query, Object.fromEntries(new URL(request.url).searchParams), "query");
      const body = operation.body ? parseWith(operation.body, await readJsonBody(request), "body") : undefined;

      const result = await operation.handle({ params, query, body, caller, deps: deps(), requestId });
      for (const [name, value] of Object.entries(result.headers ?? {})) headers.set(name, value);
      response = operation.success.raw
        ? jsonResponse(operation.success.status, result.data, headers)
        : jsonResponse(
            operation.success.status,
            { success: true, data: result.data, ...(result.pagination ? { pagination: result.pagination } : {}) },
            headers,
          );
    } catch (error) {
      let apiError = fromDomainError(error);
      if (!apiError) {
        failure = error;
        apiError = isDatabaseUnavailable(error)
          ? new ApiError("service_unavailable", "The service is temporarily unavailable. Retry shortly.", {
              fields: { retryAfter: DATABASE_RETRY_AFTER_SECONDS },
              headers: { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) },
            })
          : new ApiError("internal_error", `Something went wrong on our side. Quote request id ${requestId} when reporting it.`);
      }
      errorCode = apiError.code;
      response = errorResponse(apiError, headers);
    }

    const line = {
      ...log,
      status: response.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      ...(errorCode ? { errorCode } : {}),
      // Not `err`: pino serialises that key itself, stack trace included.
      ...(failure !== undefined ? { error: describeError(failure) } : {}),
    };
    try {
      const logger = deps().logger;
      if (response.status >= 500) logger.error(line, "request failed");
      else logger.info(line, "request");
    } catch {
      consoleFallback.error(line, "request (logger unavailable)");
    }
    return response;
  };
}

/** Answer for a path that exists without this method. */
export function methodNotAllowed(allowed: string[]): RouteHandler {
  return async () => {
    const headers = new Headers({ "X-Request-Id": newRequestId(), "Cache-Control": "no-store", Allow: allowed.join(", ") });
    return errorResponse(new ApiError("method_not_allowed", `Use ${allowed.join(" or ")} on this path.`), headers);
  };
}

/** Answer for a path under /api/v1 that does not exist. */
export function unknownPath(): RouteHandler {
  return async () => {
    const headers = new Headers({ "X-Request-Id": newRequestId(), "Cache-Control": "no-store" });
    return errorResponse(new ApiError("not_found", "No such endpoint. See /api/v1/openapi.json."), headers);
  };
}

export { ERROR_CODES };
