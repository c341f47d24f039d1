import { test, expect } from "@playwright/test";
import { freshPhone, ownAddress, signInStaff } from "./helpers";

test.beforeEach(async ({ context }) => ownAddress(context));

test("switching language in the middle of signing in keeps the page and its query", async ({ page }) => {
  const phone = freshPhone();
  await page.goto(`/login?next=${encodeURIComponent("/card")}`);
  await page.getByLabel("手机号").fill(phone);
  await page.getByRole("button", { name: "获取验证码" }).click();
  await expect(page).toHaveURL(/\/login\?phone=\d+&sent=1&next=%2Fcard$/);
  const before = new URL(page.url());

  await page.getByRole("button", { name: "English" }).click();
  const after = new URL(page.url());
  expect(after.pathname).toBe("/login");
  expect(after.search).toBe(before.search);
  // Still at the code step, now in English, and signing in still brings the shopper to the card.
  await expect(page.getByLabel("Code", { exact: true })).toBeVisible();
  const code = (await page.getByTestId("dev-code").locator("strong").textContent())!.trim();
  await page.getByLabel("Code", { exact: true }).fill(code);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/card$/);
});

test("an operator's search survives the language switch", async ({ browser }, testInfo) => {
  const desk = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    javaScriptEnabled: testInfo.project.name === "js",
    locale: "zh-CN",
  });
  await ownAddress(desk);
  const page = await desk.newPage();
  await signInStaff(page, "ops");
  await page.goto("/ops/members?q=8000");
  await expect(page.getByTestId("member-search")).toHaveValue("8000");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page).toHaveURL(/\/ops\/members\?q=8000$/);
  await expect(page.getByTestId("member-search")).toHaveValue("8000");
  await expect(page.getByRole("heading", { level: 1 })).not.toHaveText("");
  await page.getByRole("button", { name: "中文" }).click();
  await expect(page).toHaveURL(/\/ops\/members\?q=8000$/);
  await desk.close();
});
