import { defineConfig } from "vitest/config";

/**
 * Reliability and security suite: faults caused for real (Redis and Postgres servers of the
 * tests' own, stopped and restarted; SIGTERM under load), fuzzing, isolation, tokens, secrets,
 * abuse limits and a load soak, all over HTTP against `next start`. Files run one at a time:
 * the machine's cores belong to the servers under test. See README.md.
 */
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.ts"],
    globalSetup: ["@twx/db/testing/global-setup", "./e2e/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 150_000,
    hookTimeout: 180_000,
  },
});
