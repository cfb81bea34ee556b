import { signUpInputSchema } from "@twx/accounts";

/** The accounts package owns the rules; the procedure validates with the same schema. */
export const ZSignUpInputSchema = signUpInputSchema;
