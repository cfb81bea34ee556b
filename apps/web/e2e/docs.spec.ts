import { attachScreenshots, expectNoSeriousA11yViolations } from "./fixtures";
import { DocsPage, expect, PortalApi, test } from "./portal-fixtures";

const LANGUAGES = [
  { label: "JavaScript", language: "javascript" },
  { label: "cURL", language: "shellscript" },
  { label: "Python", language: "python" },
];

test.describe("docs page", () => {
  // A long page: axe and full-page screenshots at two widths take a while.
  test.describe.configure({ timeout: 150_000 });

  test("quickstart tabs are labelled and highlighted as their language, with the key's start and no secret", async ({ signedInPage: page, request }, testInfo) => {
    const key = await new PortalApi(page).createKey("Docs key", "full_access");
    const docs = new DocsPage(page);
    await docs.goto();

    await expect(page.getByTestId("docs-key-note")).toContainText(`“Docs key”, which starts with ${key.start}`);
    const tabs = docs.quickstartTabs.getByRole("tab");
    await expect(tabs).toHaveText(LANGUAGES.map((l) => l.label));
    for (const { label, language } of LANGUAGES) {
      await docs.quickstartTabs.getByRole("tab", { name: label }).click();
      await expect(docs.quickstartTabs.getByRole("tab", { name: label })).toHaveAttribute("aria-selected", "true");
      const panel = docs.visiblePanel();
      await expect(panel).toHaveCount(1);
      await expect(panel).toHaveAttribute("data-language", language);
      await expect(panel.locator(`pre.shiki[data-language="${language}"] code.language-${language}`)).toBeVisible();
      // Highlighted: the code is split into coloured tokens.
      expect(await panel.locator("code span[style*='color']").count()).toBeGreaterThan(3);
      await expect(panel).toContainText(`${key.start}<rest-of-your-key>`);
    }
    // Keyboard: arrows move between the tabs.
    await docs.quickstartTabs.getByRole("tab", { name: "Python" }).focus();
    await page.keyboard.press("ArrowRight");
    await expect(docs.quickstartTabs.getByRole("tab", { name: "JavaScript" })).toBeFocused();
    await expect(docs.visiblePanel()).toHaveAttribute("data-language", "javascript");

    // Every language-marked block on the page is one of ours, and no secret is anywhere.
    const marked = await page.locator("pre[data-language]").evaluateAll((pres) => [...new Set(pres.map((p) => p.getAttribute("data-language")))]);
    expect(marked.sort()).toEqual(["javascript", "json", "python", "shellscript"]);
    expect(await page.content()).not.toContain(key.key);

    // One section per operation of the OpenAPI document, each with scope and rate limit.
    const document = (await (await request.get("/api/v1/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    const endpoints = page.getByTestId("docs-endpoint");
    await expect(endpoints).toHaveCount(operations);
    const sendMessage = endpoints.filter({ has: page.getByRole("heading", { name: "POST /api/v1/conversations/{id}/messages" }) });
    await expect(sendMessage.getByTestId("docs-scope")).toContainText("API key with full_access");
    await expect(sendMessage.getByTestId("docs-rate-limit")).toContainText("full_access: 500 requests per hour per key");
    await expect(sendMessage.getByRole("table")).toContainText("content");
    await expect(sendMessage).toContainText("insufficient_scope");

    await expectNoSeriousA11yViolations(page, testInfo, "docs");
    await attachScreenshots(page, testInfo, "docs");
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      const file = testInfo.outputPath(`docs-quickstart-${width}px.png`);
      await docs.quickstart.screenshot({ path: file });
      await testInfo.attach(`docs-quickstart-${width}px.png`, { path: file, contentType: "image/png" });
    }
  });

  test("the public docs need no account and show a placeholder key", async ({ page }, testInfo) => {
    const docs = new DocsPage(page);
    await docs.goto("/docs");
    await expect(page.getByTestId("docs-key-note")).toContainText("Sign in to see the start of your own key");
    await expect(docs.visiblePanel()).toContainText("twx_<your-api-key>");
    await expect(docs.quickstartTabs.getByRole("tab")).toHaveText(LANGUAGES.map((l) => l.label));
    await expectNoSeriousA11yViolations(page, testInfo, "docs-public");
    await attachScreenshots(page, testInfo, "docs-public");
  });
});
