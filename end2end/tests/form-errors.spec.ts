import { test, expect } from "@playwright/test";
import { freshPhone, ownAddress } from "./helpers";

test.beforeEach(async ({ context }) => ownAddress(context));

test("a second code asked for within a minute is refused on the page, not in the address", async ({ page }) => {
  await page.goto(`/login?next=${encodeURIComponent("/card")}`);
  await page.getByLabel("手机号").fill(freshPhone());
  await page.getByRole("button", { name: "获取验证码" }).click();
  await expect(page).toHaveURL(/\/login\?phone=\d+&sent=1&next=%2Fcard$/);
  const address = page.url();

  await page.getByRole("button", { name: "重新获取验证码" }).click();
  await expect(page.getByRole("alert")).toContainText("操作太频繁");
  expect(page.url()).toBe(address);
  expect(page.url()).not.toContain("__err");

  // Shown once: a reload shows the page as it was, still at the code step.
  await page.reload();
  await expect(page.getByRole("alert")).toHaveCount(0);
  await expect(page.getByLabel("验证码")).toBeVisible();
});
