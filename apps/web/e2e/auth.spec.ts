import { expect, formAlert, test } from "./fixtures";

test.describe("sign-up and sign-in", () => {
  test("sign up lands on the dashboard; sign out; sign in again", async ({ page, auth, credentials }) => {
    await auth.signUp(credentials);
    await auth.expectOnDashboard();
    // The user menu reads the profile through tRPC (account.me).
    await page.getByRole("button", { name: "Account menu" }).click();
    await expect(page.getByTestId("user-email")).toHaveText(credentials.email);
    await page.keyboard.press("Escape");

    await auth.signOut();
    await page.goto("/dashboard/keys");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fdashboard%2Fkeys$/);

    await auth.signIn(credentials.email.toUpperCase(), credentials.password, "");
    await auth.expectOnDashboard();
  });

  test("a wrong password and an unknown email get the same generic error", async ({ page, auth, credentials }) => {
    await auth.signUp(credentials);
    await auth.expectOnDashboard();
    await auth.signOut();

    await auth.signIn(credentials.email, "not the right password");
    const alert = formAlert(page);
    await expect(alert).toHaveText("Email or password is incorrect.");
    await expect(page).toHaveURL(/\/sign-in/);
    // What was typed stays, except the password.
    await expect(page.getByLabel("Email")).toHaveValue(credentials.email);
    await expect(page.getByLabel("Password")).toHaveValue("");

    await auth.signIn(`nobody-${credentials.email}`, credentials.password);
    await expect(formAlert(page)).toHaveText("Email or password is incorrect.");
  });

  test("sign-up explains what is wrong with each field", async ({ page, credentials }) => {
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();

    await expect(formAlert(page)).toHaveText("Check the highlighted fields.");
    const email = page.getByLabel("Email");
    await expect(email).toHaveAttribute("aria-invalid", "true");
    await expect(email).toHaveAccessibleDescription("Enter a valid email address.");
    await expect(page.getByLabel("Password")).toHaveAccessibleDescription(/Use between 10 and 256 characters\./);

    await email.fill(credentials.email);
    await page.getByLabel("Password").fill(credentials.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/dashboard\/keys$/);
  });

  test("signing up with a registered email does not say that it is registered", async ({ page, auth, credentials }) => {
    await auth.signUp(credentials);
    await auth.expectOnDashboard();
    await auth.signOut();

    await auth.signUp({ ...credentials, password: "a different password" });
    const alert = formAlert(page);
    await expect(alert).toHaveText(
      "We could not create an account with these details. If you already have one, sign in instead.",
    );
    await expect(alert).not.toContainText(/taken|exists|registered/i);
  });

  test("the GitHub button is hidden when GitHub sign-in is not configured", async ({ page }) => {
    test.skip(Boolean(process.env.E2E_BASE_URL), "a deployment may well have GitHub configured");
    await page.goto("/sign-in");
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Continue with GitHub" })).toHaveCount(0);
  });
});

test.describe("protected pages", () => {
  for (const path of ["/dashboard", "/dashboard/keys", "/dashboard/activity"]) {
    test(`${path} redirects to sign-in when signed out`, async ({ page }) => {
      await page.goto(path);
      await expect(page).toHaveURL(new RegExp(`/sign-in\\?callbackUrl=${encodeURIComponent(path)}$`));
      await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    });
  }

  test("signing in from the redirect returns to the page asked for", async ({ page, auth, credentials }) => {
    await auth.signUp(credentials);
    await auth.expectOnDashboard();
    await auth.signOut();

    await page.goto("/dashboard/usage");
    await auth.signIn(credentials.email, credentials.password, "");
    await expect(page).toHaveURL(/\/dashboard\/usage$/);
    await expect(page.getByRole("heading", { level: 1, name: "Usage" })).toBeVisible();
  });

  test("tRPC answers UNAUTHORIZED without a session", async ({ request }) => {
    const response = await request.get("/api/trpc/account.me");
    expect(response.status()).toBe(401);
    const body = await response.json();
    expect(body.error.json.message).toBe("Sign in to continue.");
  });
});

test.describe("before the page's JavaScript has loaded", () => {
  test.use({ javaScriptEnabled: false });

  test("sign-up and sign-in still post the form and never put the password in the URL", async ({ page, auth, credentials }) => {
    const urls: string[] = [];
    page.on("request", (request) => urls.push(request.url()));

    await auth.signUp(credentials);
    await expect(page).toHaveURL(/\/dashboard\/keys$/, { timeout: 20_000 });
    await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();

    await page.context().clearCookies();
    await auth.signIn(credentials.email, "not the right password");
    await expect(formAlert(page)).toHaveText("Email or password is incorrect.");
    await auth.signIn(credentials.email, credentials.password);
    await expect(page).toHaveURL(/\/dashboard\/keys$/, { timeout: 20_000 });

    for (const url of urls) expect(url).not.toContain(encodeURIComponent(credentials.password));
    for (const url of urls) expect(url).not.toContain(credentials.password);
  });
});
