import { test, expect } from "@playwright/test";
import { freshPhone, ownAddress, signInShopper } from "./helpers";

test.beforeEach(async ({ context }) => ownAddress(context));

test("a shopper claims a coupon in the claim centre and finds it in the wallet", async ({ page }) => {
  await signInShopper(page, freshPhone(), "/coupons/claim");
  const offer = page.getByTestId("offer").filter({ hasText: "新人礼" });
  await offer.getByRole("button", { name: "立即领取" }).click();
  await expect(page.getByRole("status")).toHaveText("领取成功，已放入卡券包");
  await expect(page.getByTestId("offer").filter({ hasText: "新人礼" }).getByRole("button")).toHaveText("已领取");
  await page.goto("/coupons");
  const coupon = page.getByTestId("coupon").filter({ hasText: "新人礼" });
  await expect(coupon).toContainText("满¥100可用");
  await expect(coupon).toContainText("全场通用");
  await expect(coupon).toContainText("可使用");
});

test("a shopper checks in once a day and sees the points in the history", async ({ page }) => {
  await signInShopper(page, freshPhone(), "/");
  const card = page.getByTestId("checkin");
  await card.getByRole("button", { name: "签到 +5" }).click();
  await expect(page.getByTestId("checkin")).toContainText("签到成功，获得 5 积分");
  await expect(page.getByTestId("checkin")).toContainText("今日已签到");
  await page.goto("/points");
  await expect(page.getByTestId("points-balance")).toHaveText("5");
  await expect(page.getByTestId("points-history")).toContainText("获得 · 每日签到");
});

test("a shopper redeems a reward in the points mall", async ({ page }, testInfo) => {
  // The demo shoppers have points; one per project, so each signs in once a run.
  const phone = testInfo.project.name === "js" ? "13800138000" : "13900139000";
  await signInShopper(page, phone, "/rewards");
  const before = Number(await page.getByTestId("points-balance").textContent());
  const parking = page.getByTestId("reward").filter({ hasText: "停车券 2 小时" });
  await parking.getByRole("link", { name: "兑换" }).click();
  // One tap only asks: nothing is spent until the shopper confirms.
  const confirm = page.getByTestId("redeem-confirm");
  await expect(confirm).toContainText("停车券 2 小时");
  await expect(confirm).toContainText("300 积分");
  await expect(page.getByTestId("redeem-after")).toHaveText(`兑换后剩余 ${before - 300} 积分`);
  await confirm.getByRole("link", { name: "取消" }).click();
  await expect(page).toHaveURL(/\/rewards$/);
  await expect(page.getByTestId("redeem-confirm")).toHaveCount(0);
  await expect(page.getByTestId("points-balance")).toHaveText(String(before));
  await page.getByTestId("reward").filter({ hasText: "停车券 2 小时" }).getByRole("link", { name: "兑换" }).click();
  await page.getByTestId("redeem-confirm").getByRole("button", { name: "确认兑换" }).click();
  await expect(page).toHaveURL(/\/rewards\/mine\?new=\d+$/);
  await expect(page.getByRole("status")).toHaveText("兑换成功");
  await expect(page.getByTestId("redemption").first()).toContainText("停车券 2 小时");
  await page.goto("/points");
  await expect(page.getByTestId("points-balance")).toHaveText(String(before - 300));
  await expect(page.getByTestId("points-history")).toContainText("使用 · 积分商城兑换");
  await page.goto("/coupons");
  await expect(page.getByTestId("coupon").filter({ hasText: "免费停车 2 小时" })).toBeVisible();

  // A gift comes with a voucher code for the service desk.
  await page.goto("/rewards");
  await page.getByTestId("reward").filter({ hasText: "帆布袋" }).getByRole("link", { name: "兑换" }).click();
  await page.getByTestId("redeem-confirm").getByRole("button", { name: "确认兑换" }).click();
  await expect(page.getByTestId("redemption").first()).toContainText(/兑换码: G[0-9A-Z]{10}/);
});

test("redeeming without enough points says so and changes nothing", async ({ page }) => {
  await signInShopper(page, freshPhone(), "/rewards");
  await page.getByTestId("reward").filter({ hasText: "停车券" }).first().getByRole("link", { name: "兑换" }).click();
  await expect(page.getByRole("alert")).toHaveText("积分不足（可用 0）");
  await expect(page.getByRole("button", { name: "确认兑换" })).toHaveCount(0);
  await expect(page.getByTestId("points-balance")).toHaveText("0");
});
