/**
 * Page objects of the usage, docs and activity pages, and the portal's tRPC API as a test calls
 * it with the signed-in page's session (to set up keys and events without clicking through the
 * keys page). Specs of these pages import `test` and `expect` from here.
 */
import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test as base } from "./fixtures";

export { expect };

export type Scope = "read_only" | "full_access";

export interface CreatedKey {
  id: string;
  name: string;
  start: string;
  /** The full secret, as the portal returns it once. */
  key: string;
}

/** tRPC procedures over HTTP with the page's cookies (superjson's `{ json }` envelope). */
export class PortalApi {
  constructor(readonly page: Page) {}

  async mutation<T>(path: string, input: unknown): Promise<T> {
    const response = await this.page.request.post(`/api/trpc/${path}`, { data: { json: input } });
    expect(response.status(), `${path}: ${await response.text()}`).toBe(200);
    return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
  }

  createKey(name: string, scope: Scope = "read_only"): Promise<CreatedKey> {
    return this.mutation<CreatedKey>("keys.create", { name, scope });
  }

  renameKey(id: string, name: string): Promise<unknown> {
    return this.mutation("keys.rename", { id, name });
  }

  revokeKey(id: string): Promise<unknown> {
    return this.mutation("keys.revoke", { id });
  }
}

/** Sends `count` REST requests with `key`, `parallel` at a time; returns the status codes. */
export async function sendRestRequests(request: APIRequestContext, key: string, count: number, parallel = 10): Promise<number[]> {
  const statuses: number[] = [];
  for (let sent = 0; sent < count; sent += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - sent) }, () =>
      request.get("/api/v1/twins?limit=1", { headers: { Authorization: `Bearer ${key}` } }).then((r) => r.status()),
    );
    statuses.push(...(await Promise.all(batch)));
  }
  return statuses;
}

export class UsagePage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/dashboard/usage");
    await expect(this.page.getByRole("heading", { level: 1, name: "Usage" })).toBeVisible();
    await expect(this.page.getByTestId("usage-loading")).toHaveCount(0);
  }

  /** Reloads until the recorded totals reach these numbers (usage is written in batches). */
  async waitForTotals(requests: number, rateLimited: number): Promise<void> {
    await expect(async () => {
      await this.goto();
      await expect(this.page.getByTestId("usage-total-24h")).toHaveText(String(requests), { timeout: 1_000 });
      await expect(this.page.getByTestId("usage-limited-30d")).toHaveText(String(rateLimited), { timeout: 1_000 });
    }).toPass({ timeout: 30_000, intervals: [1_000, 2_000] });
  }

  get chart() {
    return this.page.getByTestId("usage-chart");
  }

  /** The numbers behind the chart, one row per hour or day: [label, requests, rateLimited]. */
  async tableRows(): Promise<Array<[string, number, number]>> {
    const details = this.page.locator("details").filter({ hasText: "Show the numbers as a table" });
    if (!(await details.getAttribute("open").then((v) => v !== null))) {
      await details.locator("summary").click();
    }
    const rows = this.page.getByTestId("usage-table").locator("tbody tr");
    const texts = await rows.evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll("th, td")).map((cell) => cell.textContent ?? "")),
    );
    return texts.map(([label, requests, limited]) => [label!, Number(requests), Number(limited)]);
  }

  remainingOf(start: string) {
    return this.page.locator(`[data-testid="usage-remaining"][data-key-start="${start}"]`).getByTestId("usage-remaining-value");
  }
}

export class DocsPage {
  constructor(readonly page: Page) {}

  async goto(path = "/dashboard/docs"): Promise<void> {
    await this.page.goto(path);
    await expect(this.page.getByRole("heading", { level: 1, name: "Docs" })).toBeVisible();
  }

  get quickstart() {
    return this.page.locator("#quickstart");
  }

  /** The quickstart's code tab list. */
  get quickstartTabs() {
    return this.quickstart.getByRole("tablist");
  }

  visiblePanel() {
    return this.quickstart.locator('[role="tabpanel"]:not([hidden])');
  }
}

export class ActivityPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/dashboard/activity");
    await expect(this.page.getByRole("heading", { level: 1, name: "Activity" })).toBeVisible();
    await expect(this.page.getByTestId("activity-loading")).toHaveCount(0);
  }

  get events() {
    return this.page.getByTestId("activity-event");
  }

  titles(): Promise<string[]> {
    return this.page.getByTestId("activity-title").allTextContents();
  }

  actions(): Promise<Array<string | null>> {
    return this.events.evaluateAll((items) => items.map((item) => item.getAttribute("data-action")));
  }

  async loadMore(): Promise<void> {
    const before = await this.events.count();
    await this.page.getByRole("button", { name: "Load more" }).click();
    await expect.poll(() => this.events.count()).toBeGreaterThan(before);
  }
}

export const test = base.extend<{ portalApi: PortalApi; usagePage: UsagePage; docsPage: DocsPage; activityPage: ActivityPage }>({
  portalApi: async ({ signedInPage }, use) => {
    await use(new PortalApi(signedInPage));
  },
  usagePage: async ({ signedInPage }, use) => {
    await use(new UsagePage(signedInPage));
  },
  docsPage: async ({ page }, use) => {
    await use(new DocsPage(page));
  },
  activityPage: async ({ signedInPage }, use) => {
    await use(new ActivityPage(signedInPage));
  },
});
