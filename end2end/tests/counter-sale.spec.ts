import { test, expect, Page } from "@playwright/test";
import fs from "node:fs";
import { freshPhone, ownAddress, signInShopper, signInStaff, memberCode, choosePay } from "./helpers";

// The cashier's member check and points for a sale on the shop's own till: the code is posted
// (never in the address), the member shows with level, points and paid membership, the sale
// earns by the rules once per receipt number, and the owner may reverse it the same day.

test.beforeEach(async ({ context }) => ownAddress(context));

async function desk(browser: import("@playwright/test").Browser, js: boolean, who: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: js, locale: "zh-CN" });
  await ownAddress(context);
  const page = await context.newPage();
  await signInStaff(page, who);
  return page;
}

async function check(till: Page, code: string) {
  await till.goto("/tenant/cashier");
  await till.getByTestId("code-input").fill(code);
  await till.getByRole("button", { name: "识别会员" }).click();
  await expect(till).toHaveURL(/\/tenant\/cashier\?check=[\w-]+$/);
  expect(till.url()).not.toContain(code);
}

test("a cashier checks a paid member and awards a till sale once; the owner reverses it", async ({ page, browser }, testInfo) => {
  const js = testInfo.project.name === "js";
  const phone = freshPhone();
  const masked = `${phone.slice(0, 3)}****${phone.slice(7)}`;
  const receipt = `YS-${Date.now() % 1_000_000}-${js ? 1 : 2}`;

  // The shopper has just bought 个人会员卡.
  await signInShopper(page, phone, "/membership");
  await page.getByTestId("tier").filter({ hasText: "个人会员卡" }).getByTestId("tier-buy").click();
  await choosePay(page);
  await page.getByTestId("sandbox-confirm").click();
  await expect(page.getByTestId("pay-result")).toHaveAttribute("data-state", "paid");
  await page.goto("/card");
  const code = await memberCode(page);

  const till = await desk(browser, js, "yishang.cashier");
  await check(till, code);
  const found = till.getByTestId("member-found");
  await expect(found).toBeVisible();
  await expect(till.getByTestId("member-phone")).toHaveText(masked);
  await expect(till.getByTestId("member-level")).toHaveText("普卡");
  await expect(till.getByTestId("member-points")).toHaveText(/^\d+$/);
  await expect(till.getByTestId("member-paid")).toContainText("个人会员卡");
  fs.mkdirSync("target/e2e/shots", { recursive: true });
  if (js) await till.screenshot({ path: "target/e2e/shots/cashier-check-1280x800.png", fullPage: true });

  // A refused sale says why and changes nothing.
  const form = till.getByTestId("award-form");
  await form.getByTestId("sale-amount-input").fill("12.345");
  await form.getByTestId("sale-receipt-input").fill(receipt);
  await form.getByTestId("award-submit").click();
  await expect(till.getByRole("alert")).toContainText("最多两位小数");

  await till.getByTestId("award-form").getByTestId("sale-amount-input").fill("128.50");
  await till.getByTestId("award-form").getByTestId("sale-receipt-input").fill(receipt);
  await till.getByTestId("award-form").getByTestId("award-submit").click();
  // The earning rules decide the points (the demo mall's level, shop and campaign rates).
  const awarded = till.getByTestId("sale-awarded");
  await expect(awarded).toContainText(new RegExp(`已为 ${masked.replaceAll("*", "\\*")} 积 \\d+ 分（小票 ${receipt}）`));
  const points = (await awarded.textContent())!.match(/积 (\d+) 分/)![1];
  expect(Number(points)).toBeGreaterThanOrEqual(128);
  const line = till.locator(`[data-testid="counter-sale"][data-receipt="${receipt}"]`);
  await expect(line).toContainText("¥128.50");
  await expect(line).toContainText(`${points} 积分`);

  // The same code cannot award again; a fresh code cannot award the same receipt number.
  await check(till, code);
  await expect(till.getByTestId("check-used")).toBeVisible();
  await page.reload();
  await expect(async () => expect(await memberCode(page)).not.toBe(code)).toPass({ timeout: 70_000 });
  await check(till, await memberCode(page));
  await till.getByTestId("award-form").getByTestId("sale-amount-input").fill("10");
  await till.getByTestId("award-form").getByTestId("sale-receipt-input").fill(receipt.toLowerCase());
  await till.getByTestId("award-form").getByTestId("award-submit").click();
  await expect(till.getByRole("alert")).toHaveText("这个小票号今天已经积过分了，不能重复积分");

  // The shopper sees the points, pending, from the shop.
  await page.goto("/points");
  await expect(page.getByTestId("points-history")).toContainText("获得 · 门店消费 · 衣尚精品");

  // A cashier cannot reverse; the owner can, with a reason, the same day.
  await expect(till.locator(`[data-testid="counter-sale"][data-receipt="${receipt}"]`).getByText("撤销积分")).toHaveCount(0);
  const owner = await desk(browser, js, "yishang.owner");
  await owner.goto("/tenant/cashier");
  const own = owner.locator(`[data-testid="counter-sale"][data-receipt="${receipt}"]`);
  await own.getByText("撤销积分").click();
  await own.getByTestId("reverse-reason").fill("金额输错");
  await own.getByTestId("reverse-submit").click();
  await expect(owner.getByRole("status").filter({ hasText: "已撤销该笔积分" })).toBeVisible();
  await expect(owner.locator(`[data-testid="counter-sale"][data-receipt="${receipt}"]`)).toContainText("已撤销");
  await page.goto("/points");
  await expect(page.getByTestId("points-history").locator("li").first()).toContainText("退款扣回");
  await owner.context().close();
  await till.context().close();
});
