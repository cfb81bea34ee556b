import { protectedProcedure, publicProcedure, router } from "../../trpc";
import { meHandler } from "./me.handler";
import { signUpHandler } from "./signUp.handler";
import { ZSignUpInputSchema } from "./signUp.schema";

export const accountRouter = router({
  me: protectedProcedure.query(({ ctx }) => meHandler({ ctx })),
  signUp: publicProcedure.input(ZSignUpInputSchema).mutation(({ ctx, input }) => signUpHandler({ ctx, input })),
});
