/**
 * The keys and access tokens pages with their dialogs open: no serious accessibility
 * violations, and screenshots at 1280 px and 375 px, light and dark, attached to the report.
 */
import { attachScreenshots, expect, expectNoSeriousA11yViolations, portalTest as test } from "./fixtures";

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`${colorScheme} mode`, () => {
    test.use({ colorScheme });

    test("keys page and its dialogs", async ({ keysPage, page }, testInfo) => {
      await expectNoSeriousA11yViolations(page, testInfo, "keys-empty");
      await attachScreenshots(page, testInfo, `keys-empty-${colorScheme}`);

      await keysPage.create("Production", "full_access", { expiry: "In 30 days" });
      await keysPage.create("CI", "read_only");

      const create = await keysPage.openCreateDialog();
      await create.getByLabel("Expiry").selectOption({ label: "On a date you choose" });
      await expectNoSeriousA11yViolations(page, testInfo, "create-dialog");
      await attachScreenshots(page, testInfo, `keys-create-dialog-${colorScheme}`);
      // An empty name is refused on the spot, next to the field.
      await create.getByRole("button", { name: "Create key" }).click();
      await expect(create.getByText("Give the key a name.")).toBeVisible();
      await create.getByLabel("Name", { exact: true }).fill("Staging");
      await create.getByRole("button", { name: "Create key" }).click();
      await expect(create.getByText("Choose a date in the future.")).toBeVisible();
      await create.getByLabel("Expires at the end of").fill("2099-12-31");
      await create.getByRole("button", { name: "Create key" }).click();
      await expect(keysPage.reveal.dialog).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, "reveal-dialog");
      await attachScreenshots(page, testInfo, `keys-reveal-dialog-${colorScheme}`);
      await keysPage.reveal.confirmAndClose();

      await page.getByRole("button", { name: "Roll CI", exact: true }).click();
      await expect(page.getByTestId("roll-key-dialog")).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, "roll-dialog");
      await attachScreenshots(page, testInfo, `keys-roll-dialog-${colorScheme}`);
      await page.keyboard.press("Escape");
      await expect(page.getByTestId("roll-key-dialog")).toBeHidden();
      // Focus returns to the button that opened the dialog.
      await expect(page.getByRole("button", { name: "Roll CI", exact: true })).toBeFocused();

      await page.getByRole("button", { name: "Revoke Production", exact: true }).click();
      await expect(page.getByTestId("revoke-key-dialog")).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, "revoke-dialog");
      await attachScreenshots(page, testInfo, `keys-revoke-dialog-${colorScheme}`);
      await page.getByTestId("revoke-key-dialog").getByRole("button", { name: "Cancel" }).click();

      await page.getByRole("button", { name: "Rename Staging", exact: true }).click();
      await expect(page.getByLabel("New name for Staging")).toBeFocused();
      await keysPage.revoke("CI");
      await expect(keysPage.row("CI").getByText("Revoked", { exact: true })).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, "keys-table");
      await attachScreenshots(page, testInfo, `keys-table-${colorScheme}`);
    });

    test("access tokens page", async ({ tokensPage, page }, testInfo) => {
      await tokensPage.goto();
      await expectNoSeriousA11yViolations(page, testInfo, "tokens");
      await attachScreenshots(page, testInfo, `tokens-${colorScheme}`);
      await tokensPage.issue("1 hour");
      await expect(page.getByText(/Expires .* \(in (59 minutes|1 hour)\)/)).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, "tokens-issued");
      await attachScreenshots(page, testInfo, `tokens-issued-${colorScheme}`);
    });
  });
}
