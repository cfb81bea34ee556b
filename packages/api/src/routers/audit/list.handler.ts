import { InvalidCursorError, listAuditEvents, type AuditEventDto } from "@twx/audit";
import { TRPCError } from "@trpc/server";
import type { z } from "zod";
import type { TRPCContext } from "../../context";
import type { ZListAuditInputSchema } from "./schemas";

/**
 * Metadata members the activity page shows. Everything else an event carries (token ids,
 * internal ids) stays on the server; audit metadata never holds secrets in the first place.
 */
const SHOWN = ["name", "from", "to", "scope", "start", "oldStart", "newStart", "gracePeriodSeconds", "expiresAt", "oldKeyExpiresAt", "via", "ttlSeconds", "method", "ip", "userAgent"] as const;
type Shown = (typeof SHOWN)[number];

export interface ActivityEvent {
  id: string;
  /** Dotted verb: `api_key.created|renamed|revoked|rolled`, `token.issued`, `user.signed_in`, … */
  action: string;
  createdAt: Date;
  details: Partial<Record<Shown, string | number | null>>;
}

export interface ActivityPage {
  items: ActivityEvent[];
  nextCursor: string | null;
  hasMore: boolean;
}

function toActivity(event: AuditEventDto): ActivityEvent {
  const details: ActivityEvent["details"] = {};
  for (const name of SHOWN) {
    const value = event.metadata[name];
    if (typeof value === "string") details[name] = value.slice(0, 300);
    else if (typeof value === "number" || value === null) details[name] = value;
  }
  return { id: event.id, action: event.action, createdAt: event.createdAt, details };
}

interface ListOptions {
  ctx: TRPCContext & { userId: string };
  input: z.output<typeof ZListAuditInputSchema>;
}

/** The signed-in user's own events, newest first, a page at a time. */
export async function listAuditHandler({ ctx, input }: ListOptions): Promise<ActivityPage> {
  try {
    const page = await listAuditEvents(ctx.db, { actorId: ctx.userId, cursor: input.cursor ?? null, limit: input.limit });
    return { items: page.items.map(toActivity), nextCursor: page.nextCursor, hasMore: page.hasMore };
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw new TRPCError({ code: "BAD_REQUEST", message: "This list changed; reload the page.", cause: error });
    }
    throw error;
  }
}
