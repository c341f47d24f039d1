import { test, expect } from "@playwright/test";
import { freshPhone, ownAddress, signInShopper, memberCode } from "./helpers";

test.beforeEach(async ({ context }) => ownAddress(context));

test("a shopper signs in with the SMS code and sees the member card", async ({ page }) => {
  const phone = freshPhone();
  await signInShopper(page, phone);
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { name: "会员码" })).toBeVisible();
  const card = page.locator(".member-card");
  await expect(card).toContainText(`${phone.slice(0, 3)}****${phone.slice(7)}`);
  await expect(card).toContainText("普卡");
  await expect(page.getByTestId("points-available")).toHaveText("0");
  await expect(page.locator(".barcode svg")).toBeVisible();
  await expect(page.locator(".qr svg")).toBeVisible();
  await memberCode(page);
});

test("the member code keeps its pictures when the page comes alive, and 立即刷新 draws a new code in place", async ({
  page,
}, testInfo) => {
  test.skip(testInfo.project.name === "nojs", "the refresh in place needs JavaScript");
  await signInShopper(page, freshPhone());
  const panel = page.locator(".code-panel");
  const first = await memberCode(page);
  const qr = await panel.locator(".qr").innerHTML();
  // The countdown moves once the island runs: from then on the page is the island's.
  const countdown = panel.locator(".code-hint span").first();
  await expect(countdown).not.toHaveText("60 秒后自动刷新");
  await expect(panel.locator(".qr svg")).toBeVisible();
  await expect(panel.locator(".barcode svg")).toBeVisible();
  expect(await panel.locator(".qr").innerHTML()).toBe(qr);

  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await panel.getByRole("link", { name: "立即刷新" }).click();
  await expect(page.getByTestId("member-code")).not.toHaveAttribute("data-code", first);
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  await expect(panel.locator(".qr svg")).toBeVisible();
  await expect(panel.locator(".barcode svg")).toBeVisible();
  expect(await panel.locator(".qr").innerHTML()).not.toBe(qr);
});

test("a wrong code is refused with the tries left, and nothing is signed in", async ({ page }) => {
  const phone = freshPhone();
  await page.goto("/login");
  await page.getByLabel("手机号").fill(phone);
  await page.getByRole("button", { name: "获取验证码" }).click();
  const code = (await page.getByTestId("dev-code").locator("strong").textContent())!.trim();
  const wrong = code === "000000" ? "111111" : "000000";
  await page.getByLabel("验证码").fill(wrong);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("验证码错误，还可尝试 4 次");
  await page.goto("/card");
  await expect(page).toHaveURL(/\/login\?next=%2Fcard$/);
});

test("an invalid phone number gets a clear message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("手机号").fill("12345");
  await page.getByRole("button", { name: "获取验证码" }).click();
  await expect(page.getByRole("alert")).toHaveText("请输入正确的 11 位手机号");
});

test("the language switch changes the page and is remembered on the device", async ({ page }) => {
  await signInShopper(page, freshPhone(), "/me");
  await page.getByRole("button", { name: "English" }).first().click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { name: "Me", exact: true })).toBeVisible();
  await page.goto("/card");
  await expect(page.getByRole("heading", { name: "Member code" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByRole("link", { name: "Home" }).click();
  await expect(page.getByRole("button", { name: "中文" }).first()).toBeVisible();
});

test("the profile is saved and the card shows the new name", async ({ page }) => {
  await signInShopper(page, freshPhone(), "/me");
  await page.getByLabel("姓名").fill("测试会员");
  await page.getByRole("button", { name: "保存" }).click();
  await page.goto("/card");
  await expect(page.locator(".member-card-name")).toHaveText("测试会员");
});

test("signed-out visitors are sent to sign in and come back", async ({ page }) => {
  await page.goto("/card");
  await expect(page).toHaveURL(/\/login\?next=%2Fcard$/);
});
