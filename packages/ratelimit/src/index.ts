export {
  LIMIT_DEFINITIONS,
  LIMIT_KINDS,
  durationMs,
  isLimitKind,
  type LimitDefinition,
  type LimitKind,
} from "./definitions";
export {
  createRateLimiter,
  createRateLimiterFromEnv,
  DEFAULT_KEY_PREFIX,
  DEFAULT_TIMEOUT_MS,
  type FailurePolicy,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimiterFromEnvOptions,
  type RateLimiterOptions,
  type RateLimitPeek,
} from "./limiter";
export {
  consoleLogger,
  type BackendKind,
  type RateLimitBackend,
  type RateLimitLogger,
  type ScriptRedis,
} from "./backends/types";
export { backendFromEnv, type BackendEnv, type BackendFactories } from "./backends/env";
export { upstashRestBackend, describeRestUrl, type UpstashRestBackendOptions } from "./backends/upstash";
export { redisTcpBackend, describeRedisUrl, TcpScriptRedis, type RedisTcpBackendOptions } from "./backends/tcp";
export {
  inProcessBackend,
  InMemoryScriptStore,
  type InProcessBackendOptions,
} from "./backends/memory";
export { stripUpstashOnlyFlags } from "./scripts";
export { startUpstashBridge, type UpstashBridge, type UpstashBridgeOptions } from "./bridge/server";
