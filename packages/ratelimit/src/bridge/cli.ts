/**
 * Local Upstash-compatible endpoint in front of a Redis over TCP:
 *
 *   pnpm --filter @twx/ratelimit bridge [--port 8079] [--host 127.0.0.1] [--redis-url redis://...] [--token ...]
 *
 * Defaults come from the environment the app uses, so one .env serves both: the Redis is
 * REDIS_URL (else redis://127.0.0.1:6379), the token UPSTASH_REDIS_REST_TOKEN, the port the one of
 * UPSTASH_REDIS_REST_URL when it points at this machine (else 8079). Without any token a random
 * one is generated and printed, since the app needs it to connect.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { loadEnvOrExit } from "@twx/config";
import { startUpstashBridge } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string" },
    "redis-url": { type: "string" },
    token: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  console.log(
    "usage: bridge [--port N] [--host ADDR] [--redis-url redis://host:port] [--token TOKEN]",
  );
  process.exit(0);
}

const env = loadEnvOrExit();

function portFromRestUrl(url: string | undefined): number | undefined {
  if (!url) return undefined;
  const parsed = new URL(url);
  const local = ["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname);
  return local && parsed.port ? Number(parsed.port) : undefined;
}

const port = values.port ? Number(values.port) : (portFromRestUrl(env.UPSTASH_REDIS_REST_URL) ?? 8079);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid --port: ${values.port}`);
  process.exit(1);
}
const redisUrl = values["redis-url"] ?? env.REDIS_URL ?? "redis://127.0.0.1:6379";
const givenToken = values.token ?? env.UPSTASH_REDIS_REST_TOKEN;
const token = givenToken ?? randomBytes(24).toString("base64url");

const bridge = await startUpstashBridge({
  redisUrl,
  token,
  port,
  ...(values.host ? { host: values.host } : {}),
});
console.log(`upstash bridge listening on ${bridge.url} -> ${bridge.target}`);
if (givenToken === undefined) {
  // Generated here, for this local run only: the app cannot connect without it.
  console.log(`for the app:\n  UPSTASH_REDIS_REST_URL=${bridge.url}\n  UPSTASH_REDIS_REST_TOKEN=${token}`);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void bridge.close().then(() => process.exit(0));
  });
}
