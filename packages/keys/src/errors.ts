/**
 * Domain errors of key management. Each carries a stable `code` that the REST layer and tRPC map
 * to their own error shapes (see README): callers switch on `code`, never on message text.
 */

export type KeysErrorCode = "not_found" | "key_limit_exceeded" | "validation_error" | "conflict" | "unknown_actor";

export abstract class KeysError extends Error {
  abstract readonly code: KeysErrorCode;
}

/** The key does not exist or belongs to someone else: the two are deliberately indistinguishable. */
export class KeyNotFoundError extends KeysError {
  readonly code = "not_found" as const;
  constructor(readonly keyId: string) {
    super("API key not found.");
    this.name = "KeyNotFoundError";
  }
}

/** The owner already holds the maximum number of active keys. */
export class KeyLimitExceededError extends KeysError {
  readonly code = "key_limit_exceeded" as const;
  constructor(
    readonly limit: number,
    hint = "Revoke a key you no longer use, then try again.",
  ) {
    super(`You already have ${limit} active API keys, the maximum. ${hint}`);
    this.name = "KeyLimitExceededError";
  }
}

export interface ValidationIssue {
  path: string;
  message: string;
}

/** Input failed validation; `details` matches API.md's `validation_error` details. */
export class ValidationError extends KeysError {
  readonly code = "validation_error" as const;
  constructor(readonly details: ValidationIssue[]) {
    super(
      details.length === 1
        ? `Invalid ${details[0]!.path || "input"}: ${details[0]!.message}`
        : `Invalid input: ${details.map((d) => `${d.path || "input"}: ${d.message}`).join("; ")}`,
    );
    this.name = "ValidationError";
  }
}

/** The key exists but is in a state that forbids the operation (e.g. rolling a revoked key). */
export class KeyStateError extends KeysError {
  readonly code = "conflict" as const;
  constructor(message: string) {
    super(message);
    this.name = "KeyStateError";
  }
}

/** The acting user does not exist (deleted while holding a session): an authentication problem. */
export class UnknownActorError extends KeysError {
  readonly code = "unknown_actor" as const;
  constructor() {
    super("The acting user does not exist.");
    this.name = "UnknownActorError";
  }
}
