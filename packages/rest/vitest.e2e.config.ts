import { defineConfig } from "vitest/config";

/**
 * End-to-end suite: the built app under `next start`, over real HTTP, with real Postgres and
 * (when REDIS_URL is set) real Redis. See e2e/global-setup.ts.
 */
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.ts"],
    // @twx/db's first: it provides DATABASE_URL (an embedded server) when none is set.
    globalSetup: ["@twx/db/testing/global-setup", "./e2e/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
