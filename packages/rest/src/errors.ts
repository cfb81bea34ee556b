/**
 * Every error the public API can answer, in one table: status, code and whether it is about
 * credentials (those carry `WWW-Authenticate: Bearer`). Handlers throw {@link ApiError}; the
 * wrapper turns it, and anything else, into the error envelope.
 */
export const ERROR_CODES = {
  invalid_json: { status: 400, description: "The body is not valid JSON (or not UTF-8, or empty)." },
  validation_error: { status: 400, description: "A field, query parameter or path parameter is invalid; see `details`." },
  ambiguous_credentials: {
    status: 400,
    description: "`Authorization` and `X-API-Key` are both present with different values.",
  },
  // These three are answered by the HTTP server before any route runs (apps/web/server/client-errors.cjs).
  malformed_request: { status: 400, description: "The request is not valid HTTP/1.1 (request line or a header)." },
  request_timeout: { status: 408, description: "The request's headers did not arrive in time." },
  headers_too_large: { status: 431, description: "The request line and headers together exceed 16 KiB." },
  missing_credentials: { status: 401, description: "No credential was sent.", credentials: true },
  invalid_api_key: {
    status: 401,
    description: "The API key is malformed, unknown, or the credential is not an API key.",
    credentials: true,
  },
  api_key_revoked: { status: 401, description: "The API key was revoked.", credentials: true },
  api_key_expired: { status: 401, description: "The API key is past its expiry date.", credentials: true },
  invalid_token: {
    status: 401,
    description: "The user access token is malformed, tampered with, expired, or its user no longer exists.",
    credentials: true,
  },
  insufficient_scope: { status: 403, description: "The key's scope does not allow this endpoint; `requiredScope` names the one needed." },
  api_key_not_allowed: {
    status: 403,
    description: "API keys cannot manage API keys; use a user access token.",
  },
  not_found: { status: 404, description: "No such resource in this account (another account's ids answer the same)." },
  method_not_allowed: { status: 405, description: "The path exists but not with this method; see `Allow`." },
  conflict: { status: 409, description: "The resource is in a state that forbids the operation." },
  key_limit_exceeded: { status: 409, description: "The account already holds the maximum number of active API keys." },
  payload_too_large: { status: 413, description: "The request body is larger than 64 KiB." },
  rate_limited: { status: 429, description: "Too many requests in the sliding window; retry after `Retry-After` seconds." },
  internal_error: { status: 500, description: "An unexpected error; report the `X-Request-Id`." },
  service_unavailable: { status: 503, description: "A dependency (the database) is unreachable; retry after `Retry-After` seconds." },
} as const satisfies Record<string, { status: number; description: string; credentials?: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: {
      details?: ErrorDetail[];
      /** Extra members of the `error` object, e.g. `requiredScope`. */
      fields?: Record<string, unknown>;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = ERROR_CODES[code].status;
  }

  get isCredentialError(): boolean {
    return "credentials" in ERROR_CODES[this.code];
  }
}

export const REALM = "TwinExpert API";

/** RFC 6750 challenge: the scheme first (what API.md promises), then the error when there is one. */
export function bearerChallenge(error?: "invalid_token" | "insufficient_scope", scope?: string): string {
  const parts = [`realm="${REALM}"`];
  if (error) parts.push(`error="${error}"`);
  if (scope) parts.push(`scope="${scope}"`);
  return `Bearer ${parts.join(", ")}`;
}
