/**
 * The keys page end to end: keys made in the browser, used from the test against the REST API,
 * renamed, rolled and revoked; access tokens; isolation between users; Vietnamese scope cards.
 */
import { AuthPages, KeysPage, attachScreenshots, expect, portalTest as test, uniqueCredentials } from "./fixtures";

test("a read_only key: copied once, reads but cannot write, renamed, then revoked and refused", async ({ keysPage, rest, page }) => {
  await expect(page.getByRole("heading", { name: "No API keys yet" })).toBeVisible();

  const key = await keysPage.create("CI reader", "read_only");
  expect(key).toMatch(/^twx_[0-9A-Za-z]{38}$/);
  const row = keysPage.row("CI reader");
  await expect(row.getByText(`${key.slice(0, 9)}…`)).toBeVisible();
  await expect(row.getByText("Read only")).toBeVisible();
  await expect(row.getByText("Active")).toBeVisible();
  await expect(row.getByText("Never").first()).toBeVisible();
  // The secret is not on the page any more.
  await expect(page.getByText(key)).toHaveCount(0);

  expect((await rest.get("/twins", key)).status()).toBe(200);
  const write = await rest.post("/conversations", key, { twinId: "any" });
  expect(write.status()).toBe(403);
  expect((await write.json()).error.code).toBe("insufficient_scope");

  await keysPage.rename("CI reader", "CI reader (old)");
  await page.reload();
  await expect(keysPage.row("CI reader (old)")).toBeVisible();

  await keysPage.revoke("CI reader (old)");
  const refused = await rest.get("/twins", key);
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("api_key_revoked");
  // A revoked key has no actions left.
  await expect(keysPage.row("CI reader (old)").getByRole("button")).toHaveCount(0);
});

test("the reveal dialog does not close before the user confirms the key is stored", async ({ keysPage, page }) => {
  const dialog = await keysPage.openCreateDialog();
  await dialog.getByLabel("Name", { exact: true }).fill("Guarded");
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(keysPage.reveal.dialog).toBeVisible();
  await expect(keysPage.reveal.dialog.getByText("Your API key has access to your data.")).toBeVisible();
  await expect(keysPage.reveal.dialog.getByText(/cannot be shown again/).first()).toBeVisible();

  await page.keyboard.press("Escape");
  await expect(keysPage.reveal.dialog).toBeVisible();
  await expect(keysPage.reveal.dialog.getByRole("alert")).toContainText("Confirm that you have stored the key");
  await keysPage.reveal.dialog.getByRole("button", { name: "Done" }).click();
  await expect(keysPage.reveal.dialog).toBeVisible();
  // The confirmation box has focus: Space ticks it, Escape then closes.
  await expect(keysPage.reveal.dialog.getByRole("checkbox")).toBeFocused();
  await page.keyboard.press("Space");
  await page.keyboard.press("Escape");
  await expect(keysPage.reveal.dialog).toBeHidden();
  await expect(keysPage.row("Guarded")).toBeVisible();
});

test("a full_access key creates a conversation and sends a message", async ({ keysPage, rest }) => {
  const key = await keysPage.create("Chat bot", "full_access");
  await expect(keysPage.row("Chat bot").getByText("Full access")).toBeVisible();

  const twins = await rest.get("/twins", key);
  expect(twins.status()).toBe(200);
  const twinId = (await twins.json()).data[0].id as string;
  const conversation = await rest.post("/conversations", key, { twinId, title: "From the e2e test" });
  expect(conversation.status()).toBe(201);
  const conversationId = (await conversation.json()).data.id as string;
  const message = await rest.post(`/conversations/${conversationId}/messages`, key, { content: "Hello, twin!" });
  expect(message.status()).toBe(201);
  const body = await message.json();
  expect(body.data.message.content).toBe("Hello, twin!");
  expect(body.data.reply.role).toBe("twin");

  // Its requests show up in the table once the server has flushed its counters (every 5 s).
  await expect(async () => {
    await keysPage.page.reload();
    await expect(keysPage.row("Chat bot").getByTestId("requests-24h")).not.toHaveText("0", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
});

test("rolling a key: with a grace period both keys work; rolled now, the old key is refused", async ({ keysPage, rest }) => {
  const first = await keysPage.create("Rotating", "read_only");
  const second = await keysPage.roll("Rotating", "After 1 hour");
  expect(second).not.toBe(first);
  expect((await rest.get("/twins", second)).status()).toBe(200);
  expect((await rest.get("/twins", first)).status()).toBe(200);
  // The old key is now shown as expiring; the new one as active.
  await expect(keysPage.row("Rotating").getByText("Expiring")).toBeVisible();
  await expect(keysPage.row("Rotating").getByText("Active")).toBeVisible();

  // Roll the new key (the first in the table, newest first) with no grace period.
  const third = await keysPage.roll("Rotating", "Now");
  expect((await rest.get("/twins", third)).status()).toBe(200);
  const refused = await rest.get("/twins", second);
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("api_key_revoked");
});

test("an access token creates a key through REST, and the key appears in the table", async ({ tokensPage, keysPage, rest, page }) => {
  await tokensPage.goto();
  const token = await tokensPage.issue("15 minutes");
  expect(token.split(".")).toHaveLength(3);
  await expect(page.getByTestId("curl-example")).toContainText(`Authorization: Bearer ${token}`);
  await expect(page.getByTestId("curl-example")).toContainText("/api/v1/auth/api-keys");

  const created = await rest.post("/auth/api-keys", token, { name: "From a script", scope: "read_only" });
  expect(created.status()).toBe(201);
  const key = (await created.json()).data.key as string;
  expect((await rest.get("/twins", key)).status()).toBe(200);

  await keysPage.goto();
  await expect(keysPage.row("From a script")).toBeVisible();
  await expect(keysPage.row("From a script").getByText(`${key.slice(0, 9)}…`)).toBeVisible();
});

test("the scope cards speak Vietnamese", async ({ signedInPage: page }, testInfo) => {
  await page.getByLabel("Language").selectOption("vi");
  await expect(page.getByRole("heading", { level: 1, name: "API key" })).toBeVisible();
  await page.getByRole("button", { name: "Tạo key" }).first().click();
  const dialog = page.getByTestId("create-key-dialog");
  const readOnly = dialog.getByTestId("scope-card-read_only");
  const fullAccess = dialog.getByTestId("scope-card-full_access");
  await expect(readOnly).toContainText("Chỉ Đọc");
  for (const text of ["Xem danh sách Twins", "Đọc thông tin cuộc trò chuyện", "Xem lịch sử tin nhắn", "200 requests/giờ"]) {
    await expect(readOnly).toContainText(text);
  }
  await expect(fullAccess).toContainText("Toàn Quyền");
  for (const text of ["Tất cả quyền của Read_only", "Tạo cuộc trò chuyện mới", "Gửi tin nhắn", "500 requests/giờ"]) {
    await expect(fullAccess).toContainText(text);
  }
  await expect(dialog.getByRole("heading", { name: "Tạo API key" })).toBeVisible();
  await attachScreenshots(page, testInfo, "keys-create-dialog-vi");
  // A name the server would refuse is refused first in the browser, in the reader's language.
  await dialog.getByLabel("Tên", { exact: true }).fill("CI\tprod");
  await dialog.getByRole("button", { name: "Tạo key" }).click();
  await expect(dialog.getByText("Chỉ dùng ký tự in được (không có tab hay xuống dòng).")).toBeVisible();
  await dialog.getByLabel("Tên", { exact: true }).fill("   ");
  await dialog.getByRole("button", { name: "Tạo key" }).click();
  await expect(dialog.getByText("Hãy đặt tên cho key.")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await page.getByLabel("Ngôn ngữ").selectOption("en");
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
});

test("the 51st active key is refused with the limit, in the reader's language", async ({ keysPage, page }) => {
  // 50 active keys through the portal's own tRPC endpoint; the dialog is tried for the 51st.
  for (let i = 1; i <= 50; i++) {
    const response = await page.request.post("/api/trpc/keys.create", { data: { json: { name: `Key ${i}`, scope: "read_only" } } });
    expect(response.status(), await response.text()).toBe(200);
  }
  const dialog = await keysPage.openCreateDialog();
  await dialog.getByLabel("Name", { exact: true }).fill("One too many");
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("You already have 50 active API keys, the maximum. Revoke a key you no longer use, then try again.");
  await expect(keysPage.reveal.dialog).toBeHidden();
  await page.keyboard.press("Escape");

  await page.getByLabel("Language").selectOption("vi");
  await page.getByRole("button", { name: "Tạo key" }).first().click();
  const vi = page.getByTestId("create-key-dialog");
  await vi.getByLabel("Tên", { exact: true }).fill("Thêm một key");
  await vi.getByRole("button", { name: "Tạo key" }).click();
  await expect(vi.getByRole("alert")).toHaveText("Bạn đã có 50 API key đang hoạt động, mức tối đa. Hãy thu hồi một key không còn dùng rồi thử lại.");
  await page.keyboard.press("Escape");
  await page.getByLabel("Ngôn ngữ").selectOption("en");
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
});

test("another user does not see the first user's keys", async ({ keysPage, browser, rest }, testInfo) => {
  const key = await keysPage.create("Only mine", "read_only");

  const context = await browser.newContext();
  const other = await context.newPage();
  const otherAuth = new AuthPages(other);
  await otherAuth.signUp(uniqueCredentials(testInfo));
  await otherAuth.expectOnDashboard();
  const otherKeys = new KeysPage(other);
  await expect(other.getByRole("heading", { name: "No API keys yet" })).toBeVisible();
  await expect(otherKeys.row("Only mine")).toHaveCount(0);
  await expect(other.getByText(key.slice(0, 9))).toHaveCount(0);
  await context.close();

  // The first user's key still works: nothing the second user did touched it.
  expect((await rest.get("/twins", key)).status()).toBe(200);
});
