/**
 * Every page: no serious accessibility violations, and screenshots at 1280 px and 375 px
 * attached to the report (light and dark).
 */
import { attachScreenshots, expect, expectNoSeriousA11yViolations, formAlert, test } from "./fixtures";

const publicPages = [
  { path: "/", name: "home", heading: "TwinExpert API" },
  { path: "/sign-in", name: "sign-in", heading: "Sign in" },
  { path: "/sign-up", name: "sign-up", heading: "Create your account" },
];

const portalPages = [
  { path: "/dashboard/keys", name: "keys", heading: "API keys" },
  { path: "/dashboard/usage", name: "usage", heading: "Usage" },
  { path: "/dashboard/tokens", name: "tokens", heading: "Access tokens" },
  { path: "/dashboard/docs", name: "docs", heading: "Docs" },
  { path: "/dashboard/activity", name: "activity", heading: "Activity" },
];

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`${colorScheme} mode`, () => {
    test.use({ colorScheme });

    for (const p of publicPages) {
      test(`${p.name} page is accessible`, async ({ page }, testInfo) => {
        await page.goto(p.path);
        await expect(page.getByRole("heading", { level: 1, name: p.heading })).toBeVisible();
        await expectNoSeriousA11yViolations(page, testInfo, p.name);
        await attachScreenshots(page, testInfo, `${p.name}-${colorScheme}`);
      });
    }

    test("portal pages are accessible", async ({ signedInPage: page }, testInfo) => {
      for (const p of portalPages) {
        await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: p.heading }).click();
        await expect(page).toHaveURL(new RegExp(`${p.path}$`));
        await expect(page.getByRole("heading", { level: 1, name: p.heading })).toBeVisible();
        await expect(page.getByRole("link", { name: p.heading, exact: true }).first()).toHaveAttribute("aria-current", "page");
        await expectNoSeriousA11yViolations(page, testInfo, p.name);
        await attachScreenshots(page, testInfo, `${p.name}-${colorScheme}`);
      }
      await page.getByRole("button", { name: "Account menu" }).click();
      await expectNoSeriousA11yViolations(page, testInfo, "user-menu-open");
      await attachScreenshots(page, testInfo, `user-menu-${colorScheme}`);
    });
  });
}

test("sign-in errors are accessible and visible at 375 px", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("nobody@twinexpert.test");
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(formAlert(page)).toBeVisible();
  await expectNoSeriousA11yViolations(page, testInfo, "sign-in-error");
  await attachScreenshots(page, testInfo, "sign-in-error");
});

test("the portal works from the keyboard", async ({ signedInPage: page }) => {
  // A fresh load: the first Tab of a page reaches the skip link.
  await page.goto("/dashboard/keys");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();

  const menuButton = page.getByRole("button", { name: "Account menu" });
  await menuButton.focus();
  await page.keyboard.press("Enter");
  await expect(menuButton).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(menuButton).toHaveAttribute("aria-expanded", "false");
  await expect(menuButton).toBeFocused();

  // Focus is drawn: the outline of :focus-visible is not "none".
  const outline = await menuButton.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe("none");
});

test("responses carry the security headers", async ({ request }) => {
  const response = await request.get("/");
  const headers = response.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).toContain("object-src 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
});
