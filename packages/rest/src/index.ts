export { createRestHandler, methodNotAllowed, unknownPath, DATABASE_RETRY_AFTER_SECONDS, type RouteContext, type RouteHandler } from "./handler";
export { ApiError, ERROR_CODES, bearerChallenge, type ErrorCode, type ErrorDetail } from "./errors";
export { MAX_BODY_BYTES, readCredentials, readJsonBody, singleCredential, type PresentedCredentials } from "./http";
export { describeError, isDatabaseUnavailable, scrub } from "./failures";
export {
  accountOf,
  defineOperation,
  userOf,
  type AnyOperation,
  type ApiKeyCheck,
  type ApiKeyView,
  type ApiScope,
  type AuthRequirement,
  type Caller,
  type HttpMethod,
  type KeyManagement,
  type Operation,
  type OperationContext,
  type OperationResult,
  type RateLimitDecision,
  type RestDependencies,
  type RestLimitKind,
  type RestLogger,
  type UserTokenCheck,
  type VerifiedApiKey,
} from "./operation";
export { buildOpenApiDocument, errorCodesOf, DOCUMENTED_LIMITS, API_VERSION } from "./openapi";
export { openApiDocument, operations, operationsAt } from "./registry";
export { createDefaultDependencies, getDefaultDependencies } from "./runtime";
export { createLogger } from "./logger";
export { clientAddress, installPeerAddressHeader, PEER_ADDRESS_HEADER } from "./client-address";
export { startRestLifecycle } from "./lifecycle";
export * as schemas from "./schemas";
