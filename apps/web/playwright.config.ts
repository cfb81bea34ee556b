/**
 * End-to-end tests of the portal in Debian's Chromium.
 *
 * Locally and in CI this builds the app and serves it with `next start` against a migrated
 * database (the machine's Postgres when DATABASE_URL is set, else an embedded one of its own).
 * QA points the same suite at a running deployment instead:
 *   E2E_BASE_URL=https://staging.example pnpm test:e2e
 * and then no server is started. Every test signs up its own user, so runs never collide.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

const externalBaseURL = process.env.E2E_BASE_URL?.replace(/\/$/, "");
const port = Number(process.env.E2E_PORT ?? 3100);
// localhost, never 127.0.0.1: Auth.js ties its CSRF and session cookies to the host name.
const baseURL = externalBaseURL ?? `http://localhost:${port}`;
const repoRoot = path.resolve(import.meta.dirname, "../..");
const isCI = Boolean(process.env.CI);

/**
 * Build, then serve through the database launcher: it migrates (and seeds) the database first.
 * E2E_SKIP_BUILD=1 reuses the last build when iterating on the tests alone.
 */
const serverCommand = [
  process.env.E2E_SKIP_BUILD ? null : "pnpm run build",
  `pnpm exec tsx ${path.join(repoRoot, "packages/db/src/cli/with-database.ts")} --migrate --seed -- env PORT=${port} pnpm run start`,
]
  .filter(Boolean)
  .join(" && ");

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results",
  fullyParallel: true,
  forbidOnly: isCI,
  retries: isCI ? 1 : 0,
  // Two cores: the server and two browsers are plenty.
  workers: isCI ? 2 : undefined,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL,
    locale: "en-US",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    video: "off",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: process.env.E2E_CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            // Nothing but the app under test may use the network.
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
        },
      },
    },
  ],
  webServer: externalBaseURL
    ? undefined
    : {
        command: serverCommand,
        cwd: import.meta.dirname,
        url: `${baseURL}/api/health`,
        reuseExistingServer: !isCI,
        // A cold production build on two cores takes a few minutes.
        timeout: 600_000,
        stdout: "pipe",
        stderr: "pipe",
        env: {
          NEXT_TELEMETRY_DISABLED: "1",
          AUTH_URL: baseURL,
          // A fresh secret per run unless one is given: sessions only need to outlive the run.
          AUTH_SECRET: process.env.AUTH_SECRET ?? randomBytes(32).toString("base64url"),
          // Without DATABASE_URL the launcher starts an embedded database; keep it apart from
          // the one `pnpm dev` uses so both can run at once.
          EMBEDDED_DB_DIR: process.env.EMBEDDED_DB_DIR ?? path.join(repoRoot, ".data/pglite-e2e"),
          EMBEDDED_DB_PORT: process.env.EMBEDDED_DB_PORT ?? "5489",
          // Every test signs up (and so signs in) from this one address; the default 20 attempts
          // per address in 15 minutes would refuse the suite's later sign-ins.
          SIGN_IN_RATE_LIMIT: process.env.SIGN_IN_RATE_LIMIT ?? "1000",
          // The usage flow counts 200 served and 3 refused exactly; on a busy machine a limiter
          // reply read late must be counted, not decided by RATE_LIMIT_ON_ERROR.
          RATE_LIMIT_TIMEOUT_MS: process.env.RATE_LIMIT_TIMEOUT_MS ?? "2000",
          // GitHub sign-in is exercised only where it is configured (staging), never here.
          AUTH_GITHUB_ID: "",
          AUTH_GITHUB_SECRET: "",
        },
      },
});
