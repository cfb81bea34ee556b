import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Internal packages ship TypeScript source; Next compiles them with the app.
  transpilePackages: ["@twx/config", "@twx/db", "@twx/accounts", "@twx/keys", "@twx/ratelimit", "@twx/api"],
  // Native-ish server dependencies stay as Node requires instead of being bundled.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "ioredis", "@electric-sql/pglite", "pino"],
  typedRoutes: false,
};

export default nextConfig;
