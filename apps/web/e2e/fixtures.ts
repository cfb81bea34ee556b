/**
 * Shared steps of the portal's end-to-end tests: fresh accounts, the auth pages as page
 * objects, accessibility checks and screenshots. Specs import `test` and `expect` from here.
 */
import { randomBytes } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";

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

// ---------------------------------------------------------------------------------------------
// API keys and access tokens
// ---------------------------------------------------------------------------------------------

export type Scope = "read_only" | "full_access";
export type GracePeriod = "Now" | "After 1 hour" | "After 24 hours" | "After 7 days";

const SCOPE_TITLES: Record<Scope, string> = { read_only: "Read only", full_access: "Full access" };

/**
 * The dialog that shows a new secret once (after create and roll): reads the secret through its
 * copy button and the clipboard, and closes it the only way it closes, by confirming.
 */
export class RevealDialog {
  constructor(readonly page: Page) {}

  get dialog() {
    return this.page.getByTestId("reveal-dialog");
  }

  /** Copies the secret with the dialog's button and returns what reached the clipboard. */
  async copySecret(): Promise<string> {
    await expect(this.dialog).toBeVisible();
    await this.page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    const shown = await this.dialog.getByTestId("revealed-secret").inputValue();
    await this.dialog.getByRole("button", { name: "Copy API key" }).click();
    await expect(this.dialog.getByRole("button", { name: "Copy API key" })).toHaveText(/Copied/);
    const copied = await this.page.evaluate(() => navigator.clipboard.readText());
    expect(copied, "the clipboard holds the key shown in the dialog").toBe(shown);
    return copied;
  }

  /** Closes the dialog; first proves that "Done" alone does not close it before the confirmation. */
  async confirmAndClose(): Promise<void> {
    await this.dialog.getByRole("button", { name: "Done" }).click();
    await expect(this.dialog.getByRole("alert")).toContainText("Confirm that you have stored the key");
    await this.dialog.getByRole("checkbox", { name: /stored it somewhere safe/ }).check();
    await this.dialog.getByRole("button", { name: "Done" }).click();
    await expect(this.dialog).toBeHidden();
  }
}

/** The keys page (`/dashboard/keys`) as a page object: one method per thing a user does there. */
export class KeysPage {
  readonly reveal: RevealDialog;

  constructor(readonly page: Page) {
    this.reveal = new RevealDialog(page);
  }

  async goto(): Promise<void> {
    await this.page.goto("/dashboard/keys");
    await expect(this.page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  }

  /** The table rows of the keys with this exact name (a rolled key and its successor share one). */
  row(name: string) {
    return this.page.getByTestId("key-row").filter({ has: this.page.getByRole("rowheader").getByText(name, { exact: true }) });
  }

  async openCreateDialog() {
    await this.page.getByRole("button", { name: "Create key" }).first().click();
    const dialog = this.page.getByTestId("create-key-dialog");
    await expect(dialog).toBeVisible();
    return dialog;
  }

  /** Creates a key through the dialog; returns the secret as copied from the reveal dialog. */
  async create(name: string, scope: Scope, options: { expiry?: string } = {}): Promise<string> {
    const dialog = await this.openCreateDialog();
    await dialog.getByLabel("Name", { exact: true }).fill(name);
    await dialog.getByRole("radio", { name: SCOPE_TITLES[scope] }).check();
    if (options.expiry) await dialog.getByLabel("Expiry").selectOption({ label: options.expiry });
    await dialog.getByRole("button", { name: "Create key" }).click();
    const secret = await this.reveal.copySecret();
    await this.reveal.confirmAndClose();
    await expect(this.row(name).first()).toBeVisible();
    return secret;
  }

  async rename(from: string, to: string): Promise<void> {
    await this.page.getByRole("button", { name: `Rename ${from}`, exact: true }).click();
    const input = this.page.getByLabel(`New name for ${from}`);
    await input.fill(to);
    await input.press("Enter");
    await expect(this.row(to)).toBeVisible();
    await expect(this.row(from)).toHaveCount(0);
  }

  async revoke(name: string): Promise<void> {
    await this.page.getByRole("button", { name: `Revoke ${name}`, exact: true }).click();
    const dialog = this.page.getByTestId("revoke-key-dialog");
    await expect(dialog.getByRole("heading", { name: `Revoke “${name}”?` })).toBeVisible();
    await dialog.getByRole("button", { name: `Revoke “${name}”` }).click();
    await expect(dialog).toBeHidden();
    await expect(this.row(name).getByText("Revoked", { exact: true })).toBeVisible();
  }

  /** Rolls the (active) key of this name; returns the new secret. */
  async roll(name: string, grace: GracePeriod): Promise<string> {
    await this.page.getByRole("button", { name: `Roll ${name}`, exact: true }).first().click();
    const dialog = this.page.getByTestId("roll-key-dialog");
    await expect(dialog).toBeVisible();
    await dialog.getByRole("radio", { name: new RegExp(`^${grace}`) }).check();
    await dialog.getByRole("button", { name: "Roll key" }).click();
    const secret = await this.reveal.copySecret();
    await this.reveal.confirmAndClose();
    return secret;
  }
}

/** The access tokens page (`/dashboard/tokens`). */
export class TokensPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/dashboard/tokens");
    await expect(this.page.getByRole("heading", { level: 1, name: "Access tokens" })).toBeVisible();
  }

  /** Issues a token valid for the given choice ("15 minutes", "1 hour"...); returns it. */
  async issue(validFor = "15 minutes"): Promise<string> {
    await this.page.getByRole("radio", { name: validFor }).check();
    await this.page.getByRole("button", { name: "Issue token" }).click();
    const issued = this.page.getByTestId("issued-token");
    await expect(issued).toBeVisible();
    return issued.getByLabel("Access token (JWT)").inputValue();
  }
}

/** The REST API as a script would call it with an API key or an access token. */
export class RestClient {
  constructor(readonly request: APIRequestContext) {}

  get(path: string, credential: string) {
    return this.request.get(`/api/v1${path}`, { headers: { Authorization: `Bearer ${credential}` } });
  }

  post(path: string, credential: string, body: unknown) {
    return this.request.post(`/api/v1${path}`, { headers: { Authorization: `Bearer ${credential}` }, data: body });
  }
}

export const portalTest = test.extend<{ keysPage: KeysPage; tokensPage: TokensPage; rest: RestClient }>({
  keysPage: async ({ signedInPage }, use) => {
    await use(new KeysPage(signedInPage));
  },
  tokensPage: async ({ signedInPage }, use) => {
    await use(new TokensPage(signedInPage));
  },
  rest: async ({ request }, use) => {
    await use(new RestClient(request));
  },
});
