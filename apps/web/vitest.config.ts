import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    // e2e/ holds Playwright specs, run by `pnpm test:e2e`, not by vitest.
    include: ["test/**/*.test.ts"],
    globalSetup: ["@twx/db/testing/global-setup"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
