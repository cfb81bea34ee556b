import { attachScreenshots, expectNoSeriousA11yViolations } from "./fixtures";
import { expect, sendRestRequests, test } from "./portal-fixtures";

test.describe("usage page", () => {
  test("a new account sees how to make its first request", async ({ usagePage, signedInPage: page }, testInfo) => {
    await usagePage.goto();
    const empty = page.getByTestId("usage-empty");
    await expect(empty.getByRole("heading", { name: "No requests yet" })).toBeVisible();
    await expect(empty.getByRole("link", { name: "Create an API key" })).toHaveAttribute("href", "/dashboard/keys");
    await expect(empty.locator("code.language-shellscript")).toContainText("/api/v1/twins");
    await expect(page.getByTestId("usage-total-24h")).toHaveText("0");
    await expect(page.getByText("No active keys.")).toBeVisible();
    await expectNoSeriousA11yViolations(page, testInfo, "usage-empty");
    await attachScreenshots(page, testInfo, "usage-empty");
  });

  test("REST requests with a new key appear in the chart, rate-limited ones marked apart", async ({ usagePage, portalApi, signedInPage: page, request }, testInfo) => {
    const key = await portalApi.createKey("Usage key", "read_only");
    // read_only allows 200 an hour: 203 requests are 200 served and 3 refused with 429.
    const statuses = await sendRestRequests(request, key.key, 203);
    expect(statuses.filter((s) => s === 200)).toHaveLength(200);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);

    await usagePage.waitForTotals(200, 3);
    await expect(page.getByTestId("usage-period-summary")).toHaveText("200 requests served and 3 rate limited in this period.");
    // Both series are drawn: served requests and, stacked on them, the rate-limited ones.
    await expect(usagePage.chart.locator(".recharts-bar-rectangle").first()).toBeVisible();
    await expect(usagePage.chart.getByText("Rate limited")).toBeVisible();
    const rows = await usagePage.tableRows();
    expect(rows).toHaveLength(24);
    expect(rows.reduce((sum, [, requests]) => sum + requests, 0)).toBe(200);
    expect(rows.reduce((sum, [, , limited]) => sum + limited, 0)).toBe(3);
    await expect(usagePage.remainingOf(key.start)).toHaveText("0 of 200 left");

    // Per key and per day.
    await page.getByLabel("Key", { exact: true }).selectOption({ label: `Usage key (${key.start}…)` });
    await page.getByText("Last 30 days", { exact: true }).click();
    await expect(page.getByRole("heading", { name: "Requests per day, last 30 days" })).toBeVisible();
    const days = await usagePage.tableRows();
    expect(days).toHaveLength(30);
    // Summed: requests sent just before midnight UTC land in two days.
    expect([days.reduce((sum, [, requests]) => sum + requests, 0), days.reduce((sum, [, , limited]) => sum + limited, 0)]).toEqual([200, 3]);

    await expectNoSeriousA11yViolations(page, testInfo, "usage");
    await attachScreenshots(page, testInfo, "usage");
  });

  test("is usable in Vietnamese", async ({ usagePage, signedInPage: page, context, baseURL }) => {
    await context.addCookies([{ name: "NEXT_LOCALE", value: "vi", url: baseURL! }]);
    await page.goto("/dashboard/usage");
    await expect(page.getByRole("heading", { level: 1, name: "Mức sử dụng" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Chưa có request nào" })).toBeVisible();
    void usagePage;
  });
});
