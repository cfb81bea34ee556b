import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Every file talks to a real Redis (REDIS_URL, else 127.0.0.1:6379) under its own key prefix.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
