import { getUsageReport, type UsageReport } from "@twx/keys/usage-report";
import type { TRPCContext } from "../../context";
import { defaultPeek, remainingFor, type PeekFunction, type RemainingInWindow } from "./limiter";

interface ReportOptions {
  ctx: TRPCContext & { userId: string };
  /** Tests: another way to read the limiter (null: estimate only). */
  peek?: PeekFunction | null;
}

export interface UsageReportWithRemaining extends UsageReport {
  remaining: RemainingInWindow[];
}

/** The signed-in user's usage over 24 hours and 30 days, and what each key has left right now. */
export async function usageReportHandler({ ctx, peek }: ReportOptions): Promise<UsageReportWithRemaining> {
  const report = await getUsageReport(ctx.db, ctx.userId);
  const remaining = await remainingFor(report.keys, report.generatedAt, peek === undefined ? defaultPeek() : peek);
  return { ...report, remaining };
}
