/** User access tokens (JWT) for `/api/v1/auth/api-keys`, issued through `@twx/tokens`. */
import { router } from "../../trpc";
import { managementProcedure } from "../keys/management";
import { issueTokenHandler } from "./issue.handler";
import { ZIssueTokenInputSchema } from "./issue.schema";

export const tokensRouter = router({
  issue: managementProcedure.input(ZIssueTokenInputSchema).mutation(({ ctx, input }) => issueTokenHandler({ ctx, input })),
});
