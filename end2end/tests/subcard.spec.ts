import { test, expect, Page } from "@playwright/test";
import { freshPhone, ownAddress, signInShopper, signInStaff, choosePay } from "./helpers";

test.beforeEach(async ({ context }) => ownAddress(context));

async function payInSandbox(page: Page) {
  await choosePay(page);
  await expect(page).toHaveURL(/\/sandbox\/pay\/P\w+(\?|$)/);
  await page.getByTestId("sandbox-confirm").click();
  await expect(page).toHaveURL(/\/pay\/result\/P\w+$/);
  await expect(page.getByTestId("pay-result")).toHaveAttribute("data-state", "paid");
}

test("a sub-card holder pays at a plate and the main card receives the points", async ({ page, browser }, testInfo) => {
  const js = testInfo.project.name === "js";
  // The main holder buys the personal card and invites a friend.
  await signInShopper(page, freshPhone(), "/membership");
  await page.getByTestId("tier").filter({ hasText: "个人会员卡" }).getByTestId("tier-buy").click();
  await payInSandbox(page);
  await page.goto("/membership");
  await page.getByTestId("sub-invite-create").click();
  const invitePath = new URL((await page.getByTestId("sub-link").getAttribute("href"))!).pathname;
  await page.goto("/card");
  await expect(page.getByTestId("paid-badge")).toHaveText("个人会员卡");
  await page.goto("/points");
  const pendingBefore = Number(await page.getByTestId("points-pending").textContent());

  // A plate of the restaurant, from its console.
  const staff = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: "zh-CN" });
  await ownAddress(staff.context());
  await signInStaff(staff, "sichuan.owner");
  await staff.goto("/tenant/plates");
  const plate = new URL((await staff.getByTestId("plate-link").first().getAttribute("href"))!).pathname;
  await staff.close();

  // The friend accepts with their own account and pays ¥88 at the plate.
  const friendContext = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: "zh-CN", javaScriptEnabled: js });
  await ownAddress(friendContext);
  const friend = await friendContext.newPage();
  await signInShopper(friend, freshPhone(), invitePath);
  await friend.getByTestId("sub-accept").click();
  await expect(friend).toHaveURL(/\/membership\?bound=1/);
  await friend.goto("/card");
  await expect(friend.getByTestId("paid-badge")).toHaveText("个人会员卡 · 副卡");
  await friend.goto(`${plate}/pay?amount=88`);
  await expect(friend.getByTestId("bd-to-pay")).toHaveText("¥88.00");
  await friend.getByTestId("pay-submit").click();
  await payInSandbox(friend);
  await expect(friend.getByTestId("points-earned")).toBeVisible();
  const earned = Number((await friend.getByTestId("points-earned").textContent())!.match(/\d+/)![0]);
  expect(earned).toBeGreaterThan(0);

  // The friend's own card stays empty; the main card has the points, pending, from the restaurant.
  await friend.goto("/points");
  await expect(friend.getByTestId("points-pending")).toHaveText("0");
  await friendContext.close();
  await page.goto("/points");
  await expect(page.getByTestId("points-pending")).toHaveText(String(pendingBefore + earned));
  await expect(page.getByTestId("points-history")).toContainText("扫码付款 · 川味小馆");
});

test("a sub-card holder is told to leave the main card before buying their own, and then can", async ({
  page,
  browser,
}, testInfo) => {
  const js = testInfo.project.name === "js";
  const main = freshPhone();
  await signInShopper(page, main, "/membership");
  await page.getByTestId("tier").filter({ hasText: "个人会员卡" }).getByTestId("tier-buy").click();
  await payInSandbox(page);
  await page.goto("/membership");
  await page.getByTestId("sub-invite-create").click();
  const invitePath = new URL((await page.getByTestId("sub-link").getAttribute("href"))!).pathname;

  const friendContext = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: "zh-CN", javaScriptEnabled: js });
  await ownAddress(friendContext);
  const friend = await friendContext.newPage();
  await signInShopper(friend, freshPhone(), invitePath);
  await friend.getByTestId("sub-accept").click();
  await expect(friend).toHaveURL(/\/membership\?bound=1/);

  // Buying while bound: refused with the way out, and nothing to pay.
  await friend.getByTestId("tier").filter({ hasText: "卓越会员卡" }).getByTestId("tier-buy").click();
  await expect(friend).toHaveURL(/\/membership/);
  await expect(friend.getByRole("alert")).toContainText("请先在下方退出副卡（退出后主卡需等 30 天才能绑定新的副卡）");
  const leave = friend.getByTestId("sub-leave");
  await expect(leave).toContainText(`${main.slice(0, 3)}****${main.slice(-4)}`);
  await leave.getByTestId("sub-leave-submit").click();
  await expect(friend.getByRole("status")).toHaveText("已退出副卡，现在可以购买自己的付费会员");
  await expect(friend.getByTestId("sub-leave")).toHaveCount(0);

  // On their own now: the purchase goes through.
  await friend.getByTestId("tier").filter({ hasText: "个人会员卡" }).getByTestId("tier-buy").click();
  await payInSandbox(friend);
  await friend.goto("/card");
  await expect(friend.getByTestId("paid-badge")).toHaveText("个人会员卡");
  await friendContext.close();

  // The main card is in its cool-down.
  await page.goto("/membership");
  await expect(page.getByTestId("sub-cooldown")).toBeVisible();
  await expect(page.getByTestId("sub-invite-create")).toHaveCount(0);
});
