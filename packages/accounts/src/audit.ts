/**
 * Audit events written by the accounts domain, through `@twx/audit` so every event shares one
 * format and its check that no secret lands in metadata.
 */
import { recordAuditEvent, type AuditWriter } from "@twx/audit";

export type SignInMethod = "credentials" | "github";

export interface SignInAuditDetails {
  userId: string;
  method: SignInMethod | (string & {});
  ip?: string | null;
  userAgent?: string | null;
}

/** Longest user agent kept: enough to tell browsers apart, not a place to store junk. */
const USER_AGENT_MAX = 256;

export async function recordSignIn(db: AuditWriter, details: SignInAuditDetails): Promise<void> {
  await recordAuditEvent(db, {
    actorId: details.userId,
    action: "user.signed_in",
    targetType: "user",
    targetId: details.userId,
    metadata: {
      method: details.method,
      ...(details.ip ? { ip: details.ip } : {}),
      ...(details.userAgent ? { userAgent: details.userAgent.slice(0, USER_AGENT_MAX) } : {}),
    },
  });
}
