import { z } from "zod";

export const ZListTwinsInputSchema = z
  .object({
    limit: z.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(200).nullish(),
  })
  .default({ limit: 20 });

export const ZGetTwinInputSchema = z.object({ id: z.string().min(1).max(64) });
