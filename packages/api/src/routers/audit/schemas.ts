import { AUDIT_PAGE_MAX } from "@twx/audit";
import { z } from "zod";

/** `cursor` is the previous page's `nextCursor` (the name useInfiniteQuery passes it under). */
export const ZListAuditInputSchema = z
  .object({
    limit: z.number().int().min(1).max(AUDIT_PAGE_MAX).default(20),
    cursor: z.string().min(1).max(200).nullish(),
  })
  .default({ limit: 20 });
