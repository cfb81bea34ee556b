/**
 * The OpenAPI 3.1 document, generated from the operations: their zod schemas (through zod 4's
 * JSON Schema output, whose draft 2020-12 dialect is OpenAPI 3.1's), credentials, scopes,
 * limits, examples and the errors each can answer.
 */
import { z } from "zod";
import { ERROR_CODES, type ErrorCode } from "./errors";
import { MAX_BODY_BYTES } from "./http";
import type { AnyOperation } from "./operation";
import { ErrorBody, successEnvelope } from "./schemas";

type Json = Record<string, unknown>;

export const API_VERSION = "1.0.0";

/** Rate limits as documented; the numbers are the ones @twx/ratelimit enforces. */
export const DOCUMENTED_LIMITS = {
  read_only: { limit: 200, window: "1 hour", per: "API key" },
  full_access: { limit: 500, window: "1 hour", per: "API key" },
  "user-management": { limit: 60, window: "1 minute", per: "user" },
} as const;

/** JSON Schema of a zod schema; named sub-schemas (`.meta({ id })`) are hoisted into `components`. */
function convert(schema: z.ZodType, io: "input" | "output", components: Json): Json {
  const json = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    override: (ctx) => {
      // zod spells the date-time format out as a long regular expression too; `format` says it.
      if (ctx.jsonSchema.format === "date-time") delete ctx.jsonSchema.pattern;
    },
  }) as Json;
  delete json.$schema;
  const defs = (json.$defs ?? {}) as Record<string, Json>;
  delete json.$defs;
  for (const [name, def] of Object.entries(defs)) components[name] ??= rewriteRefs(def);
  return rewriteRefs(json) as Json;
}

function rewriteRefs<T>(value: T): T {
  if (Array.isArray(value)) return value.map(rewriteRefs) as T;
  if (value && typeof value === "object") {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === "$ref" && typeof v === "string" ? v.replace(/^#\/\$defs\//, "#/components/schemas/") : rewriteRefs(v);
    }
    return out as T;
  }
  return value;
}

function objectShape(schema: z.ZodType | undefined): Record<string, z.ZodType> {
  if (!schema) return {};
  if (schema instanceof z.ZodObject) return schema.shape as Record<string, z.ZodType>;
  throw new Error("path and query schemas must be zod objects");
}

const rateLimitHeaders = {
  "X-RateLimit-Limit": { $ref: "#/components/headers/X-RateLimit-Limit" },
  "X-RateLimit-Remaining": { $ref: "#/components/headers/X-RateLimit-Remaining" },
  "X-RateLimit-Reset": { $ref: "#/components/headers/X-RateLimit-Reset" },
};

function errorExample(code: ErrorCode): Json {
  const messages: Partial<Record<ErrorCode, Json>> = {
    validation_error: {
      message: "Invalid request body (content: must be 1 to 8,000 characters).",
      details: [{ path: "content", message: "must be 1 to 8,000 characters" }],
    },
    insufficient_scope: {
      message: "This endpoint requires the full_access scope; this key has read_only.",
      requiredScope: "full_access",
    },
    rate_limited: { message: "Rate limit of 200 requests exceeded; retry in 42 seconds.", retryAfter: 42 },
    service_unavailable: { message: "The service is temporarily unavailable. Retry shortly.", retryAfter: 5 },
    payload_too_large: { message: "The request body must be at most 64 KiB.", limitBytes: MAX_BODY_BYTES },
  };
  return {
    success: false,
    error: { code, message: ERROR_CODES[code].description, ...messages[code] },
  };
}

/** The error codes an operation can answer, from its credential, its body and its own list. */
export function errorCodesOf(operation: AnyOperation): ErrorCode[] {
  const codes = new Set<ErrorCode>(["internal_error"]);
  const { auth } = operation;
  if (auth.kind !== "none") {
    codes.add("ambiguous_credentials").add("missing_credentials").add("rate_limited").add("service_unavailable");
  }
  if (auth.kind === "api_key") {
    codes.add("invalid_api_key").add("api_key_revoked").add("api_key_expired");
    if (auth.scope === "full_access") codes.add("insufficient_scope");
  }
  if (auth.kind === "user_token") codes.add("invalid_token").add("api_key_not_allowed");
  if (operation.body) codes.add("invalid_json").add("validation_error").add("payload_too_large");
  if (operation.query) codes.add("validation_error");
  for (const code of operation.errors ?? []) codes.add(code);
  return [...codes].sort((a, b) => ERROR_CODES[a].status - ERROR_CODES[b].status || a.localeCompare(b));
}

function errorResponses(operation: AnyOperation): Json {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(operation)) {
    const status = ERROR_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Json = {};
  for (const [status, codes] of byStatus) {
    const headers: Json = { "X-Request-Id": { $ref: "#/components/headers/X-Request-Id" } };
    if (status === 401) headers["WWW-Authenticate"] = { $ref: "#/components/headers/WWW-Authenticate" };
    if (status === 429 || status === 503) headers["Retry-After"] = { $ref: "#/components/headers/Retry-After" };
    if (operation.auth.kind !== "none" && status !== 401 && status !== 400 && status !== 503) Object.assign(headers, rateLimitHeaders);
    responses[String(status)] = {
      description: codes.map((code) => `\`${code}\`: ${ERROR_CODES[code].description}`).join("\n\n"),
      headers,
      content: {
        "application/json": {
          schema: { $ref: "#/components/schemas/Error" },
          examples: Object.fromEntries(codes.map((code) => [code, { value: errorExample(code) }])),
        },
      },
    };
  }
  return responses;
}

function security(operation: AnyOperation): Json[] {
  const { auth } = operation;
  if (auth.kind === "api_key") return [{ ApiKeyBearer: [auth.scope] }, { ApiKeyHeader: [auth.scope] }];
  if (auth.kind === "user_token") return [{ UserAccessToken: [] }];
  return [];
}

function describeOperation(operation: AnyOperation): string {
  const parts = operation.description ? [operation.description] : [];
  const { auth } = operation;
  if (auth.kind === "api_key") {
    parts.push(
      `**Credential:** an API key with the \`${auth.scope}\` scope${auth.scope === "read_only" ? " (or `full_access`)" : ""}. ` +
        `**Limit:** ${DOCUMENTED_LIMITS.read_only.limit}/hour for \`read_only\` keys, ${DOCUMENTED_LIMITS.full_access.limit}/hour for \`full_access\` keys, per key.`,
    );
  } else if (auth.kind === "user_token") {
    parts.push(
      `**Credential:** a user access token (JWT). API keys are refused with \`403 api_key_not_allowed\`. **Limit:** ${DOCUMENTED_LIMITS["user-management"].limit} key-management calls per minute per user.`,
    );
  } else {
    parts.push("**Credential:** none.");
  }
  return parts.join("\n\n");
}

const INFO_DESCRIPTION = `
The TwinExpert public REST API: talk to digital twins of experts from your own application.

## Credentials
- **API key** (\`twx_...\`): \`Authorization: Bearer <key>\` or \`X-API-Key: <key>\` on every resource endpoint.
  The \`Bearer\` scheme is case-insensitive and surrounding white space is ignored. Both headers with
  different values: \`400 ambiguous_credentials\`. The full key is shown once, when it is created.
- **User access token** (JWT, at most 24 hours): \`Authorization: Bearer <token>\`, only on
  \`/auth/api-keys\`. An API key there gets \`403 api_key_not_allowed\`.

## Scopes and limits
| scope | may call | limit |
|---|---|---|
| \`read_only\` | every \`GET\` of twins, conversations and messages | ${DOCUMENTED_LIMITS.read_only.limit} requests / hour / key |
| \`full_access\` | also \`POST /conversations\` and \`POST /conversations/{id}/messages\` | ${DOCUMENTED_LIMITS.full_access.limit} requests / hour / key |

Key management with a user token: ${DOCUMENTED_LIMITS["user-management"].limit} requests / minute / user. Windows slide.
Every request that presents a valid key counts, whatever its outcome, and its response carries
\`X-RateLimit-Limit\`, \`X-RateLimit-Remaining\` and \`X-RateLimit-Reset\` (Unix seconds). Over the
limit: \`429 rate_limited\` with \`Retry-After\` (seconds).

## Envelope
Success: \`{ "success": true, "data": ... }\`; lists add \`"pagination": { "nextCursor", "hasMore" }\`.
Error: \`{ "success": false, "error": { "code", "message", ... } }\`. Every response carries \`X-Request-Id\`.

| status | code | meaning |
|---|---|---|
${(Object.keys(ERROR_CODES) as ErrorCode[]).map((code) => `| ${ERROR_CODES[code].status} | \`${code}\` | ${ERROR_CODES[code].description} |`).join("\n")}

## Pagination
Lists take \`limit\` (1–100, default 20) and \`cursor\` (the previous page's \`pagination.nextCursor\`,
opaque). Twins are listed oldest first, conversations newest first, messages oldest first.

## Bodies
JSON, UTF-8, at most ${MAX_BODY_BYTES / 1024} KiB. Unknown fields are refused (\`validation_error\`).
`.trim();

export function buildOpenApiDocument(operations: readonly AnyOperation[]): Json {
  const components: Json = {};
  const paths: Record<string, Json> = {};

  for (const operation of operations) {
    const parameters = [
      ...Object.entries(objectShape(operation.params)).map(([name, schema]) => ({
        name,
        in: "path",
        required: true,
        ...(schema.description ? { description: schema.description } : {}),
        schema: convert(schema, "input", components),
      })),
      ...Object.entries(objectShape(operation.query)).map(([name, schema]) => {
        const converted = convert(schema, "input", components);
        return {
          name,
          in: "query",
          required: !schema.safeParse(undefined).success,
          ...(typeof converted.description === "string" ? { description: converted.description } : {}),
          schema: converted,
        };
      }),
    ];

    const successSchema = operation.success.raw
      ? { type: "object", description: "An OpenAPI 3.1 document." }
      : convert(successEnvelope(operation.success.schema, operation.success.list), "output", components);
    const successExample = operation.success.raw
      ? undefined
      : {
          success: true,
          data: operation.examples.response,
          ...(operation.success.list ? { pagination: { nextCursor: null, hasMore: false } } : {}),
        };
    const successHeaders: Json = { "X-Request-Id": { $ref: "#/components/headers/X-Request-Id" } };
    if (operation.auth.kind !== "none") Object.assign(successHeaders, rateLimitHeaders);

    const entry: Json = {
      operationId: operation.operationId,
      summary: operation.summary,
      description: describeOperation(operation),
      tags: [operation.tag],
      security: security(operation),
      ...(parameters.length ? { parameters } : {}),
      ...(operation.body
        ? {
            requestBody: {
              required: true,
              content: {
                "application/json": {
                  schema: convert(operation.body, "input", components),
                  ...(operation.examples.request !== undefined ? { example: operation.examples.request } : {}),
                },
              },
            },
          }
        : {}),
      responses: {
        [String(operation.success.status)]: {
          description: operation.success.description,
          headers: successHeaders,
          content: { "application/json": { schema: successSchema, ...(successExample ? { example: successExample } : {}) } },
        },
        ...errorResponses(operation),
      },
      ...(operation.auth.kind === "api_key" ? { "x-required-scope": operation.auth.scope } : {}),
      "x-rate-limit":
        operation.auth.kind === "api_key"
          ? [DOCUMENTED_LIMITS.read_only, DOCUMENTED_LIMITS.full_access].map((l, i) => ({
              scope: i === 0 ? "read_only" : "full_access",
              ...l,
            }))
          : operation.auth.kind === "user_token"
            ? [DOCUMENTED_LIMITS["user-management"]]
            : [],
    };
    const pathItem = (paths[operation.path] ??= {});
    pathItem[operation.method.toLowerCase()] = entry;
  }

  components.Error = convert(ErrorBody, "output", components);

  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "TwinExpert API",
      version: API_VERSION,
      description: INFO_DESCRIPTION,
    },
    servers: [{ url: "/api/v1", description: "This server" }],
    tags: [
      { name: "API keys", description: "Manage API keys with a user access token." },
      { name: "Twins", description: "Experts' digital twins." },
      { name: "Conversations", description: "Conversations with twins, and their messages." },
      { name: "Meta", description: "This document." },
    ],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: {
        ApiKeyBearer: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "API key (twx_...)",
          description:
            "An API key in `Authorization: Bearer <key>`. Scopes: `read_only` (reads, 200 requests/hour), `full_access` (reads and writes, 500 requests/hour).",
        },
        ApiKeyHeader: {
          type: "apiKey",
          in: "header",
          name: "X-API-Key",
          description: "The same API key in `X-API-Key`. Send one of the two headers (or both with the same value).",
        },
        UserAccessToken: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "A user access token (HS256 JWT, at most 24 hours) for `/auth/api-keys` only.",
        },
      },
      headers: {
        "X-Request-Id": { description: "Identifies the request in our logs; quote it when reporting a problem.", schema: { type: "string" } },
        "X-RateLimit-Limit": { description: "Requests allowed in the window.", schema: { type: "integer" } },
        "X-RateLimit-Remaining": { description: "Requests left in the window.", schema: { type: "integer" } },
        "X-RateLimit-Reset": { description: "Unix time (seconds) when the window frees a request.", schema: { type: "integer" } },
        "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer" } },
        "WWW-Authenticate": { description: "`Bearer` challenge (RFC 6750).", schema: { type: "string" } },
      },
    },
  };
}
