/**
 * Shared steps of the portal's end-to-end tests: fresh accounts, the auth pages as page
 * objects, accessibility checks and screenshots. Specs import `test` and `expect` from here.
 */
import { randomBytes } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page, type TestInfo } from "@playwright/test";

export { expect };

export interface Credentials {
  name: string;
  email: string;
  password: string;
}

/** An email no other test, worker or run will use: tests may run in parallel against staging. */
export function uniqueCredentials(testInfo: TestInfo): Credentials {
  const id = `${Date.now().toString(36)}-${testInfo.workerIndex}-${randomBytes(4).toString("hex")}`;
  return {
    name: "E2E Tester",
    email: `e2e+${id}@twinexpert.test`,
    password: `pw-${randomBytes(9).toString("base64url")}`,
  };
}

/** The sign-up and sign-in pages, and signing out from the portal's user menu. */
export class AuthPages {
  constructor(readonly page: Page) {}

  async signUp(credentials: Credentials): Promise<void> {
    await this.page.goto("/sign-up");
    await this.page.getByLabel(/^Name/).fill(credentials.name);
    await this.page.getByLabel("Email").fill(credentials.email);
    await this.page.getByLabel("Password").fill(credentials.password);
    await this.page.getByRole("button", { name: "Create account" }).click();
  }

  async signIn(email: string, password: string, path = "/sign-in"): Promise<void> {
    if (path) await this.page.goto(path);
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in", exact: true }).click();
  }

  async expectOnDashboard(): Promise<void> {
    // Sign-up hashes the password twice (create, then sign in): allow for a loaded server.
    await expect(this.page).toHaveURL(/\/dashboard\/keys$/, { timeout: 20_000 });
    await expect(this.page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  }

  async signOut(): Promise<void> {
    await this.page.getByRole("button", { name: "Account menu" }).click();
    await this.page.getByRole("button", { name: "Sign out" }).click();
    await expect(this.page).toHaveURL(/\/$/);
  }
}

interface Fixtures {
  auth: AuthPages;
  /** Credentials of an account nobody has created yet. */
  credentials: Credentials;
  /** A page signed in as a freshly signed-up user (whose credentials are `credentials`). */
  signedInPage: Page;
}

export const test = base.extend<Fixtures>({
  auth: async ({ page }, use) => {
    await use(new AuthPages(page));
  },
  credentials: async ({}, use, testInfo) => {
    await use(uniqueCredentials(testInfo));
  },
  signedInPage: async ({ page, auth, credentials }, use) => {
    await auth.signUp(credentials);
    await auth.expectOnDashboard();
    await use(page);
  },
});

/**
 * The form's error message. Scoped to the page's main region: Next.js keeps an empty
 * role="alert" route announcer of its own in every page.
 */
export function formAlert(page: Page) {
  return page.getByRole("main").getByRole("alert");
}

/** Fails on any serious or critical WCAG 2.1 A/AA violation on the page as it is now. */
export async function expectNoSeriousA11yViolations(page: Page, testInfo: TestInfo, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (results.violations.length > 0) {
    await testInfo.attach(`axe-${label}.json`, { body: JSON.stringify(results.violations, null, 2), contentType: "application/json" });
  }
  expect(
    serious.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    `accessibility violations on ${label}`,
  ).toEqual([]);
}

export const SCREEN_WIDTHS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "mobile", width: 375, height: 812 },
] as const;

/** Full-page screenshots at 1280 px and 375 px, attached to the test's report. */
export async function attachScreenshots(page: Page, testInfo: TestInfo, label: string): Promise<void> {
  const original = page.viewportSize();
  for (const size of SCREEN_WIDTHS) {
    await page.setViewportSize({ width: size.width, height: size.height });
    // Let layout settle at the new width (fonts, sticky header) before capturing.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    // Kept in the test's output folder (a CI artifact) and linked from the HTML report.
    const file = testInfo.outputPath(`${label}-${size.width}px.png`);
    await page.screenshot({ path: file, fullPage: true });
    await testInfo.attach(`${label}-${size.width}px.png`, { path: file, contentType: "image/png" });
  }
  if (original) await page.setViewportSize(original);
}
