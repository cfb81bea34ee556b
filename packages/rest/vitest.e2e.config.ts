import { defineConfig } from "vitest/config";
import type { Reporter } from "vitest/reporters";

/** Names every test that passed only on its retry, so a flake shows in the CI log. */
const retriedTests: Reporter = {
  onTestCaseResult(testCase) {
    const diagnostic = testCase.diagnostic();
    if (diagnostic?.flaky) console.warn(`[e2e] FLAKY (passed on retry ${diagnostic.retryCount}): ${testCase.fullName}`);
  },
};

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
    // In CI only, as Playwright's flows: one more try for a test that failed over real HTTP on a
    // shared two-core machine. A test that fails twice still fails the run; a retried one is
    // named in the output ("retry") so a flake is seen, not hidden.
    retry: process.env.CI ? 1 : 0,
    reporters: ["default", retriedTests],
  },
});
