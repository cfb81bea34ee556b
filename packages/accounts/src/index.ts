export { hashPassword, verifyPassword } from "./password";
export {
  NAME_MAX,
  PASSWORD_MAX,
  PASSWORD_MIN,
  emailSchema,
  newPasswordSchema,
  normalizeEmail,
  signInInputSchema,
  signUpInputSchema,
  type SignInInput,
  type SignUpInput,
} from "./schemas";
export {
  AccountError,
  authenticateWithPassword,
  createUserWithPassword,
  getPublicUser,
  type AccountErrorCode,
  type PublicUser,
} from "./users";
export {
  allowAllSignInLimiter,
  checkSignInAllowed,
  type SignInAttempt,
  type SignInDecision,
  type SignInLimiter,
  type SignInLimitResult,
} from "./sign-in-limits";
export { recordSignIn, type SignInAuditDetails, type SignInMethod } from "./audit";
export { resolveAuthSecret, type AuthSecretEnv } from "./auth-secret";
