/**
 * User access tokens: short-lived HS256 JWTs that prove "this request is user X". They are the
 * only credential accepted by the key-management endpoints (`/api/v1/auth/api-keys`); API keys
 * are never accepted there, and these tokens are never accepted where a key is expected.
 */
import { randomUUID } from "node:crypto";
import { recordAuditEvent } from "@twx/audit";
import type { Database } from "@twx/db";
import { errors, jwtVerify, SignJWT } from "jose";

export const TOKEN_ISSUER = "twinexpert";
export const TOKEN_AUDIENCE = "twinexpert-api";
/** RFC 9068 media type of an access token; a token of any other `typ` is refused. */
export const TOKEN_TYPE = "at+jwt";

export const DEFAULT_TTL_SECONDS = 60 * 60;
export const MAX_TTL_SECONDS = 24 * 60 * 60;
export const MIN_TTL_SECONDS = 60;
/** Clock skew between the issuing and the verifying server that is forgiven. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** Longer than any token we sign; longer input is refused before any parsing. */
const MAX_TOKEN_LENGTH = 2048;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface IssuedToken {
  token: string;
  jti: string;
  userId: string;
  issuedAt: Date;
  expiresAt: Date;
}

export type TokenRejection =
  | "malformed"
  | "signature"
  | "expired"
  | "not_yet_valid"
  | "claims"
  | "unknown_user";

export type VerifyTokenResult =
  | { ok: true; userId: string; jti: string; issuedAt: Date; expiresAt: Date }
  /** `reason` is always `invalid_token` for the caller; `detail` is for logs only. */
  | { ok: false; reason: "invalid_token"; detail: TokenRejection };

export interface IssueTokenInput {
  userId: string;
  /** Lifetime in seconds: default one hour, at most 24 hours. */
  ttlSeconds?: number;
  /** Who issued it, for the audit trail: the portal for a signed-in user, or the operator CLI. */
  via: "portal" | "cli" | "test";
  /** Actor recorded in the audit event: the user themself by default, null for an operator. */
  actorId?: string | null;
}

export class TokenTtlError extends RangeError {
  constructor(ttlSeconds: number) {
    super(
      `Token lifetime must be between ${MIN_TTL_SECONDS} seconds and ${MAX_TTL_SECONDS / 3600} hours, got ${ttlSeconds} seconds.`,
    );
    this.name = "TokenTtlError";
  }
}

export class UnknownUserError extends Error {
  constructor() {
    super("No user with this id.");
    this.name = "UnknownUserError";
  }
}

export interface TokenServiceOptions {
  db: Database;
  /** HS256 key, at least 32 bytes (see resolveJwtSecret). */
  key: Uint8Array;
  /** Clock, for tests. */
  now?: () => Date;
}

export interface TokenService {
  issue(input: IssueTokenInput): Promise<IssuedToken>;
  verify(token: string): Promise<VerifyTokenResult>;
}

function rejection(detail: TokenRejection): VerifyTokenResult {
  return { ok: false, reason: "invalid_token", detail };
}

/** Map jose's errors to a rejection detail; anything else is a bug and is rethrown. */
function classify(error: unknown): TokenRejection {
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.claim === "nbf" ? "not_yet_valid" : "claims";
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return "signature";
  if (error instanceof errors.JOSEAlgNotAllowed) return "signature";
  if (error instanceof errors.JOSEError) return "malformed";
  throw error;
}

export function createTokenService(options: TokenServiceOptions): TokenService {
  const { db, key } = options;
  if (key.byteLength < 32) throw new Error("The token key must be at least 32 bytes.");
  const now = options.now ?? (() => new Date());

  return {
    async issue(input) {
      const ttl = input.ttlSeconds ?? DEFAULT_TTL_SECONDS;
      if (!Number.isInteger(ttl) || ttl < MIN_TTL_SECONDS || ttl > MAX_TTL_SECONDS) {
        throw new TokenTtlError(ttl);
      }
      const user = await db.user.findUnique({ where: { id: input.userId }, select: { id: true } });
      if (!user) throw new UnknownUserError();

      const iat = Math.floor(now().getTime() / 1000);
      const exp = iat + ttl;
      const jti = randomUUID();
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: "HS256", typ: TOKEN_TYPE })
        .setSubject(user.id)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt(iat)
        .setNotBefore(iat)
        .setExpirationTime(exp)
        .setJti(jti)
        .sign(key);

      const issued: IssuedToken = {
        token,
        jti,
        userId: user.id,
        issuedAt: new Date(iat * 1000),
        expiresAt: new Date(exp * 1000),
      };
      // The token itself is never stored or logged: its id and lifetime are enough to trace it.
      await recordAuditEvent(db, {
        actorId: input.actorId === undefined ? user.id : input.actorId,
        action: "token.issued",
        targetType: "user",
        targetId: user.id,
        metadata: { jti, via: input.via, ttlSeconds: ttl, expiresAt: issued.expiresAt },
      });
      return issued;
    },

    async verify(token) {
      // Shape first: an API key, an empty string or junk is refused without any crypto or I/O.
      if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH || !JWT_SHAPE.test(token)) {
        return rejection("malformed");
      }
      let payload;
      try {
        ({ payload } = await jwtVerify(token, key, {
          // Only HS256: `none` and every asymmetric algorithm (key-confusion attacks) are refused.
          algorithms: ["HS256"],
          typ: TOKEN_TYPE,
          issuer: TOKEN_ISSUER,
          audience: TOKEN_AUDIENCE,
          requiredClaims: ["sub", "exp", "iat", "jti"],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: now(),
        }));
      } catch (error) {
        return rejection(classify(error));
      }
      const { sub, exp, iat, jti } = payload;
      if (typeof sub !== "string" || typeof jti !== "string" || typeof exp !== "number" || typeof iat !== "number") {
        return rejection("claims");
      }
      const nowSeconds = now().getTime() / 1000;
      // jose checks `iat` only against a maximum age; a token issued in the future is refused here.
      if (iat > nowSeconds + CLOCK_TOLERANCE_SECONDS) return rejection("not_yet_valid");
      // Whatever signed it, a token living longer than the contract allows is not one of ours.
      if (exp - iat > MAX_TTL_SECONDS) return rejection("claims");

      // A user deleted since issuance loses access at once, not when the token expires.
      const user = await db.user.findUnique({ where: { id: sub }, select: { id: true } });
      if (!user) return rejection("unknown_user");
      return { ok: true, userId: user.id, jti, issuedAt: new Date(iat * 1000), expiresAt: new Date(exp * 1000) };
    },
  };
}

/**
 * Parse a lifetime such as `90s`, `30m`, `1h`, `24h`, `1d` or a bare number of seconds.
 * Returns seconds; throws a readable error for anything else (range is checked at issuance).
 */
export function parseTtl(text: string): number {
  const match = /^\s*(\d+)\s*(s|m|h|d)?\s*$/i.exec(text);
  if (!match) throw new Error(`Invalid lifetime "${text}": use a number followed by s, m, h or d (for example 1h).`);
  const unit = (match[2] ?? "s").toLowerCase() as "s" | "m" | "h" | "d";
  const factor = { s: 1, m: 60, h: 3600, d: 86_400 }[unit];
  return Number(match[1]) * factor;
}
