import { attachScreenshots, expect, test } from "./fixtures";

test.describe("language", () => {
  test("switching to Vietnamese is remembered across reloads and pages", async ({ page }, testInfo) => {
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await page.getByLabel("Language").selectOption("vi");

    await expect(page.locator("html")).toHaveAttribute("lang", "vi");
    await expect(page.getByRole("heading", { name: "Phạm vi quyền (Scopes)" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Chỉ Đọc" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Toàn Quyền" })).toBeVisible();

    await page.reload();
    await expect(page.locator("html")).toHaveAttribute("lang", "vi");
    await expect(page.getByText("200 requests/giờ")).toBeVisible();
    await expect(page.getByLabel("Ngôn ngữ")).toHaveValue("vi");
    await attachScreenshots(page, testInfo, "home-vi");

    await page.goto("/sign-in");
    await expect(page.getByRole("heading", { level: 1, name: "Đăng nhập" })).toBeVisible();
    await attachScreenshots(page, testInfo, "sign-in-vi");
    // No locale in the URL: the choice lives in a cookie.
    expect(new URL(page.url()).pathname).toBe("/sign-in");
  });

  test("the portal speaks Vietnamese after sign-up too, and switches back", async ({ page, auth, credentials }, testInfo) => {
    await auth.signUp(credentials);
    await auth.expectOnDashboard();
    await page.getByLabel("Language").selectOption("vi");
    await expect(page.getByRole("heading", { level: 1, name: "API key" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Cổng nhà phát triển" }).getByRole("link", { name: "Hoạt động" })).toBeVisible();

    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "API key" })).toBeVisible();
    await page.getByRole("link", { name: "Hoạt động" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Hoạt động" })).toBeVisible();
    await attachScreenshots(page, testInfo, "activity-vi");

    await page.getByLabel("Ngôn ngữ").selectOption("en");
    await expect(page.getByRole("heading", { level: 1, name: "Activity" })).toBeVisible();
  });

  test.describe("with a Vietnamese browser", () => {
    test.use({ locale: "vi-VN" });

    test("the first visit is in Vietnamese, chosen from Accept-Language", async ({ page }) => {
      await page.goto("/");
      await expect(page.locator("html")).toHaveAttribute("lang", "vi");
      await expect(page.getByRole("heading", { name: "Bảo mật API Key" })).toBeVisible();
    });
  });
});
