import { test, expect } from "@playwright/test";
import { freshPhone, ownAddress, signInShopper, signInStaff, choosePay } from "./helpers";

// What a shopper reads after paying: the greeting, a top-up's bonus, and no "paid by WeChat/
// Alipay ¥0.00" when nothing was paid outside.

test.beforeEach(async ({ context }) => ownAddress(context));

test("the home page greets the member without a stray space", async ({ page }) => {
  const phone = freshPhone();
  await signInShopper(page, phone, "/");
  await expect(page.getByTestId("hello")).toHaveText(`你好，会员${phone.slice(7)}`);
});

test("a top-up's result names the bonus; a payment made with stored value alone shows nothing paid outside", async ({
  page,
  browser,
}) => {
  await signInShopper(page, freshPhone(), "/balance/topup");
  await page.getByTestId("topup-amount").fill("200");
  await page.getByTestId("topup-submit").click();
  await choosePay(page);
  await page.getByTestId("sandbox-confirm").click();
  await expect(page.getByTestId("pay-result")).toHaveAttribute("data-state", "paid");
  await expect(page.getByTestId("topup-bonus")).toHaveText("赠送 ¥10.00 已到账");
  await expect(page.getByTestId("paid-external")).toContainText("¥200.00");

  const owner = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: "zh-CN" });
  await ownAddress(owner.context());
  await signInStaff(owner, "yishang.owner");
  await owner.goto("/tenant/plates");
  const plate = new URL((await owner.getByTestId("plate-link").first().getAttribute("href"))!).pathname;
  await owner.close();

  await page.goto(`${plate}/pay?amount=5`);
  await expect(page.getByTestId("bd-to-pay")).toHaveText("¥0.00");
  await page.getByTestId("pay-submit").click();
  await expect(page.getByTestId("pay-result")).toHaveAttribute("data-state", "paid");
  await expect(page.getByTestId("paid-external")).toHaveText(/无需微信\/支付宝支付/);
  await expect(page.getByText("¥0.00")).toHaveCount(0);
});
