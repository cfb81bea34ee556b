/** The signed-in user's API usage: a thin call into `@twx/keys/usage-report` and the rate limiter. */
import { protectedProcedure, router } from "../../trpc";
import { usageReportHandler } from "./report.handler";

export const usageRouter = router({
  report: protectedProcedure.query(({ ctx }) => usageReportHandler({ ctx })),
});
