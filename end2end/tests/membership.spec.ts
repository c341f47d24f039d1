import { test, expect, Page } from "@playwright/test";
import { freshPhone, ownAddress, signInShopper, choosePay } from "./helpers";

test.beforeEach(async ({ context }) => ownAddress(context));

/** Confirms the sandbox payment the browser was sent to, and waits for the paid result. */
async function payInSandbox(page: Page, amount: string) {
  await choosePay(page);
  await expect(page).toHaveURL(/\/sandbox\/pay\/P\w+(\?|$)/);
  await expect(page.getByTestId("sandbox-amount")).toHaveText(amount);
  await page.getByTestId("sandbox-confirm").click();
  await expect(page).toHaveURL(/\/pay\/result\/P\w+$/);
  await expect(page.getByTestId("pay-result")).toHaveAttribute("data-state", "paid");
}

test("a shopper buys 个人会员卡 in the sandbox and shares the sub-card with a friend", async ({ page, browser }) => {
  const main = freshPhone();
  await signInShopper(page, main, "/membership");
  await expect(page.getByTestId("ms-status")).toContainText("还不是付费会员");
  const personal = page.getByTestId("tier").filter({ hasText: "个人会员卡" });
  await expect(personal).toContainText("¥99");
  await personal.getByTestId("tier-buy").click();
  await payInSandbox(page, "¥99.00");

  await page.goto("/membership");
  const status = page.getByTestId("ms-status");
  await expect(status).toContainText("个人会员卡");
  await expect(status).toContainText("有效期至");
  await expect(status).toContainText("会员价已生效");
  // The first-purchase pack is in the wallet.
  await page.goto("/coupons");
  await expect(page.getByTestId("coupon").filter({ hasText: "会员洗车券" })).toBeVisible();

  // Renewing is offered on the same card.
  await page.goto("/membership");
  await expect(page.getByTestId("tier").filter({ hasText: "个人会员卡" }).getByTestId("tier-buy")).toHaveText(
    "续费 ¥99",
  );

  // The sub-card invitation: a link and its QR code.
  await page.getByTestId("sub-invite-create").click();
  await expect(page.getByRole("status")).toHaveText("邀请已生成，把链接或二维码发给对方");
  const invite = page.getByTestId("sub-invite");
  await expect(invite.locator(".qr svg")).toBeVisible();
  await expect(invite).toContainText("邀请有效期至");
  const link = (await page.getByTestId("sub-link").getAttribute("href"))!;
  expect(link).toMatch(/\/sub\/[0-9a-z]{10}$/);
  const invitePath = new URL(link).pathname;

  // The main holder opening their own link is told to pass it on.
  await page.goto(invitePath);
  await expect(page.getByTestId("sub-offer")).toContainText("这是您自己的邀请");
  await expect(page.getByTestId("sub-accept")).toHaveCount(0);

  // A friend, signed out, opens the link, signs in with their own account and accepts.
  const friendContext = await browser.newContext({
    viewport: { width: 375, height: 812 },
    locale: "zh-CN",
    javaScriptEnabled: test.info().project.name === "js",
  });
  await ownAddress(friendContext);
  const friend = await friendContext.newPage();
  await friend.goto(invitePath);
  await expect(friend).toHaveURL(/\/login\?next=/);
  await signInShopper(friend, freshPhone(), invitePath);
  const offer = friend.getByTestId("sub-offer");
  await expect(offer).toContainText(`${main.slice(0, 3)}****${main.slice(-4)} 邀请您成为「个人会员卡」的副卡`);
  await friend.getByTestId("sub-accept").click();
  await expect(friend).toHaveURL(/\/membership\?bound=1/);
  await expect(friend.getByRole("status")).toHaveText("已绑定副卡，现在起享会员价");
  await expect(friend.getByTestId("ms-status")).toContainText("副卡会员");
  await expect(friend.getByTestId("ms-status")).toContainText(`${main.slice(0, 3)}****${main.slice(-4)}`);

  // The link cannot be used twice.
  await friend.goto(invitePath);
  await expect(friend.getByTestId("sub-offer")).toContainText("此邀请已失效");
  await friendContext.close();

  // The main holder sees the friend bound.
  await page.goto("/membership");
  await expect(page.getByTestId("sub-holder")).toContainText("副卡：137****");
  await expect(page.getByTestId("sub-unbind")).toBeVisible();
});

test("a shopper tops up ¥500 in the sandbox and gets ¥530", async ({ page }, testInfo) => {
  const js = testInfo.project.name === "js";
  await signInShopper(page, freshPhone(), "/balance");
  await expect(page.getByTestId("sv-balance")).toHaveText("¥0.00");
  await page.getByTestId("topup-link").click();
  await expect(page).toHaveURL(/\/balance\/topup$/);
  await expect(page.getByTestId("topup-tiers")).toContainText("满¥500送¥30");

  // An amount below the minimum is refused with the reason, and nothing is started.
  await page.getByTestId("topup-amount").fill("5");
  await page.getByTestId("topup-submit").click();
  await expect(page.getByRole("alert")).toContainText("¥10.00");
  await expect(page).toHaveURL(/\/balance\/topup\?amount=5&error=/);

  if (js) {
    // The bonus is worked out as the amount is typed (once the page has come alive).
    await expect(page.getByTestId("topup-amount")).toHaveAttribute("data-ready", "true");
    await page.getByTestId("topup-amount").fill("500");
    await expect(page.getByTestId("topup-live")).toHaveText("赠送 ¥30.00，共到账 ¥530.00");
    await page.getByTestId("topup-submit").click();
  } else {
    const preset = page.getByTestId("topup-preset").filter({ hasText: "¥500" });
    await expect(preset).toContainText("送¥30");
    await preset.click();
  }
  await payInSandbox(page, "¥500.00");
  await page.goto("/balance");
  await expect(page.getByTestId("sv-balance")).toHaveText("¥530.00");
});
