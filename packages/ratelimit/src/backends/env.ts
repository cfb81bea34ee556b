/**
 * Backend selection from the validated environment (@twx/config):
 *   UPSTASH_REDIS_REST_URL + UPSTASH_REDIS_REST_TOKEN → Upstash over REST (production);
 *   otherwise REDIS_URL → Redis over TCP;
 *   otherwise → in-process counters (embedded default, one process only).
 * Upstash wins when both are set: REDIS_URL may be there for other uses (key revocation notices).
 */
import type { Env } from "@twx/config";
import { inProcessBackend } from "./memory";
import { redisTcpBackend } from "./tcp";
import type { RateLimitBackend } from "./types";
import { upstashRestBackend } from "./upstash";

export type BackendEnv = Pick<Env, "REDIS_URL" | "UPSTASH_REDIS_REST_URL" | "UPSTASH_REDIS_REST_TOKEN">;

export interface BackendFactories {
  upstash: typeof upstashRestBackend;
  tcp: typeof redisTcpBackend;
  inProcess: typeof inProcessBackend;
}

const defaultFactories: BackendFactories = {
  upstash: upstashRestBackend,
  tcp: redisTcpBackend,
  inProcess: inProcessBackend,
};

export function backendFromEnv(
  env: BackendEnv,
  options: { factories?: Partial<BackendFactories> } = {},
): RateLimitBackend {
  const make = { ...defaultFactories, ...options.factories };
  if (env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN) {
    return make.upstash({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN });
  }
  if (env.REDIS_URL) {
    return make.tcp({ url: env.REDIS_URL });
  }
  return make.inProcess();
}
