/**
 * The production wiring of the REST dependencies: the process database, the key verifier (with
 * Redis change notices when REDIS_URL is set), the rate limiter (backend from the environment,
 * named in the start-up log), user access tokens, the twin responder and a pino logger.
 * Created once per process (kept on globalThis across dev hot reloads and across the bundles of
 * the instrumentation hook and the routes): at start-up by ./lifecycle, else on first request.
 */
import { getEnv } from "@twx/config";
import { createResponderFromEnv } from "@twx/conversations";
import { getDb } from "@twx/db";
import { createKey, createKeyVerifierFromEnv, listKeys, renameKey, revokeKey } from "@twx/keys";
import { createRateLimiterFromEnv } from "@twx/ratelimit";
import { getTokenService, resolveJwtSecret } from "@twx/tokens";
import { describeError } from "./failures";
import { createLogger } from "./logger";
import type { RestDependencies } from "./operation";

const globalForRest = globalThis as unknown as { twxRestDependencies?: RestDependencies };

export function createDefaultDependencies(): RestDependencies {
  const env = getEnv();
  const logger = createLogger(env.LOG_LEVEL);
  const db = getDb();
  const verifier = createKeyVerifierFromEnv({
    db,
    onError: (error, context) => logger.warn({ context, error: describeError(error) }, "api key verifier"),
  });
  const limiter = createRateLimiterFromEnv({
    logger: {
      warn: (context, message) => logger.warn(context, message),
      info: (context, message) => logger.info(context, message),
    },
  });
  const tokens = getTokenService();
  const responder = createResponderFromEnv(db, env, logger);
  logger.info(
    {
      rateLimitBackend: limiter.backend.name,
      keyNotices: env.REDIS_URL ? "redis" : "in-process",
      twinResponder: responder.name,
      tokenSecret: resolveJwtSecret(env).source,
    },
    "REST API v1 ready",
  );

  return {
    db,
    logger,
    responder,
    authenticateApiKey: (raw) => verifier.verifyKey(raw),
    recordUse: (key, options) => verifier.recordUse(key, options),
    verifyUserToken: (token) => tokens.verify(token),
    rateLimit: (kind, identifier) => limiter.limit(kind, identifier),
    trustProxy: env.TRUST_PROXY,
    async close() {
      // Usage first (it needs the database), then the limiter's connection.
      try {
        await verifier.close();
      } finally {
        await limiter.close().catch(() => undefined);
      }
    },
    keys: {
      async create(userId, input) {
        const { key, ...apiKey } = await createKey(db, userId, input);
        return { apiKey, key };
      },
      list: (userId) => listKeys(db, userId),
      rename: (userId, id, name) => renameKey(db, userId, { id, name }),
      revoke: (userId, id) => revokeKey(db, userId, { id }),
    },
  };
}

export function getDefaultDependencies(): RestDependencies {
  globalForRest.twxRestDependencies ??= createDefaultDependencies();
  return globalForRest.twxRestDependencies;
}
