import { attachScreenshots, expectNoSeriousA11yViolations } from "./fixtures";
import { expect, test } from "./portal-fixtures";

test.describe("activity page", () => {
  test("shows the account's events newest first, in words", async ({ activityPage, portalApi, signedInPage: page, context, baseURL }, testInfo) => {
    await activityPage.goto();
    // Signing up signs in: the first event.
    await expect(activityPage.events).toHaveCount(1);
    await expect(activityPage.events.first()).toContainText("Signed in with email and password");

    const key = await portalApi.createKey("First name", "read_only");
    await portalApi.renameKey(key.id, "Second name");
    await portalApi.revokeKey(key.id);
    await activityPage.goto();
    expect(await activityPage.actions()).toEqual(["api_key.revoked", "api_key.renamed", "api_key.created", "user.signed_in"]);
    expect(await activityPage.titles()).toEqual([
      `Revoked the API key “Second name” (${key.start}…)`,
      `Renamed the API key “First name” to “Second name” (${key.start}…)`,
      `Created the API key “First name” (${key.start}…) with the read only scope`,
      "Signed in with email and password",
    ]);
    await expect(page.getByText("You have reached the first event of your account.")).toBeVisible();
    await expectNoSeriousA11yViolations(page, testInfo, "activity");
    await attachScreenshots(page, testInfo, "activity");

    await context.addCookies([{ name: "NEXT_LOCALE", value: "vi", url: baseURL! }]);
    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "Hoạt động" })).toBeVisible();
    await expect(activityPage.events.first()).toContainText(`Đã thu hồi API key “Second name” (${key.start}…)`);
    await attachScreenshots(page, testInfo, "activity-vi");
  });

  test("pages with Load more", async ({ activityPage, portalApi, signedInPage: page }) => {
    const key = await portalApi.createKey("Name 0", "read_only");
    for (let i = 1; i <= 22; i++) await portalApi.renameKey(key.id, `Name ${i}`);
    // 1 sign-in + 1 create + 22 renames = 24 events, 20 a page.
    await activityPage.goto();
    await expect(activityPage.events).toHaveCount(20);
    await expect(activityPage.events.first()).toContainText("“Name 21” to “Name 22”");
    await activityPage.loadMore();
    await expect(activityPage.events).toHaveCount(24);
    const actions = await activityPage.actions();
    expect(actions.slice(-2)).toEqual(["api_key.created", "user.signed_in"]);
    // Newest first across the page boundary, no duplicates.
    const titles = await activityPage.titles();
    expect(new Set(titles).size).toBe(24);
    expect(titles[19]).toContain("“Name 2” to “Name 3”");
    expect(titles[20]).toContain("“Name 1” to “Name 2”");
    await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);
    await expect(page.getByText("You have reached the first event of your account.")).toBeVisible();
  });
});
