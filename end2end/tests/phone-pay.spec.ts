import { test, expect, Page, Browser } from "@playwright/test";
import { choosePay, freshPhone, ownAddress, signInShopper, signInStaff } from "./helpers";

// Paying from where the shopper is (issue 15), with the sandbox playing WeChat Pay and Alipay:
// inside WeChat the silent OAuth then the JSAPI bridge; another phone browser WeChat's H5 page or
// Alipay's WAP form, after asking which; a desktop the cashier at once. Each stand-in is a redirect or a plain form,
// so every flow works with JavaScript off too.

const WECHAT =
  "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A.240205.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) " +
  "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 " +
  "MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64";
const DESKTOP =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

test.beforeEach(async ({ context }) => ownAddress(context));

/** The path of 衣尚精品's first plate, read from its owner's console. */
async function platePath(browser: Browser): Promise<string> {
  const owner = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: "zh-CN" });
  await ownAddress(owner.context());
  await signInStaff(owner, "yishang.owner");
  await owner.goto("/tenant/plates");
  const href = (await owner.getByTestId("plate-row").first().getByTestId("plate-link").getAttribute("href"))!;
  await owner.close();
  return new URL(href).pathname;
}

/** The paths the tab is sent to, redirects included, from now on. */
function visits(page: Page): string[] {
  const seen: string[] = [];
  page.on("request", (r) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) seen.push(new URL(r.url()).pathname);
  });
  return seen;
}

/** Pays a new member's plate payment of `amount` yuan, all of it outside; returns at the first page
 * the provider's flow shows. */
async function payAtPlate(page: Page, plate: string, amount: string) {
  await page.goto(`${plate}/pay?amount=${amount}`);
  await expect(page.getByTestId("bd-to-pay")).toHaveText(`¥${amount}`);
  await page.getByTestId("pay-submit").click();
}

async function confirmInSandbox(page: Page, amount: string): Promise<string> {
  await expect(page).toHaveURL(/\/sandbox\/pay\/P\w+(\?|$)/);
  const no = new URL(page.url()).pathname.split("/").pop()!;
  await expect(page.getByTestId("sandbox-amount")).toHaveText(amount);
  await page.getByTestId("sandbox-confirm").click();
  await expect(page).toHaveURL(new RegExp(`/pay/result/${no}$`));
  await expect(page.getByTestId("pay-result")).toHaveAttribute("data-state", "paid");
  return no;
}

test.describe("inside WeChat", () => {
  test.use({ userAgent: WECHAT });

  test("the silent OAuth once, then the JSAPI bridge for every payment; a cancel takes nothing and paying again works", async ({
    page,
    browser,
  }) => {
    const plate = await platePath(browser);
    await signInShopper(page, freshPhone(), "/card");
    const seen = visits(page);

    await payAtPlate(page, plate, "23.45");
    // WeChat's authorize page came back with a code (our state kept), the openid was remembered
    // and the cashier hands the signed parameters to the bridge.
    await expect(page.getByTestId("flow-continue")).toBeVisible();
    expect(seen.some((p) => p === "/sandbox/wechat/authorize")).toBe(true);
    expect(seen.some((p) => p === "/pay/wechat/oauth")).toBe(true);
    await expect(page.locator('form[data-flow="wxpay-bridge"] input[name="signType"]')).toHaveValue("RSA");
    await page.getByTestId("flow-continue").click();
    expect(seen).toContain("/sandbox/wechat/jsapi");
    const first = await confirmInSandbox(page, "¥23.45");
    await expect(page.getByTestId("paid-external")).toContainText("¥23.45");

    // A second payment (another purpose: a top-up) goes straight to the bridge: the openid is kept.
    seen.length = 0;
    await page.goto("/balance/topup");
    await page.getByTestId("topup-amount").fill("50");
    await page.getByTestId("topup-submit").click();
    await expect(page.getByTestId("flow-continue")).toBeVisible();
    expect(seen).not.toContain("/sandbox/wechat/authorize");
    await page.getByTestId("flow-continue").click();
    await expect(page).toHaveURL(/\/sandbox\/pay\/P\w+(\?|$)/);
    // Cancelled in WeChat's cashier: nothing paid, and the shopper can try again.
    await page.getByTestId("sandbox-cancel").click();
    await expect(page).toHaveURL(/\/pay\/result\/P\w+$/);
    await expect(page.getByTestId("pay-result")).toHaveAttribute("data-state", "closed");
    await expect(page.getByTestId("pay-result")).toContainText("未扣款");
    await expect(page.getByTestId("tenders-returned")).toHaveCount(0);
    await page.getByTestId("pay-again").click();
    await expect(page).toHaveURL(/\/balance\/topup$/);
    await page.getByTestId("topup-amount").fill("50");
    await page.getByTestId("topup-submit").click();
    await page.getByTestId("flow-continue").click();
    await confirmInSandbox(page, "¥50.00");
    expect(seen).not.toContain("/sandbox/wechat/authorize");

    // The plate payment completed once, however it was told (return and notification): one line in
    // the shopper's history, and it stays paid.
    await page.goto(`/pay/result/${first}`);
    await expect(page.getByTestId("pay-result")).toHaveAttribute("data-state", "paid");
    await page.goto("/me/payments");
    await expect(page.getByTestId("payment-row").filter({ hasText: "衣尚" })).toHaveCount(1);
  });
});

test("another phone browser: WeChat H5 comes back to the result page paid", async ({ page, browser }) => {
  const plate = await platePath(browser);
  await signInShopper(page, freshPhone(), "/card");
  const seen = visits(page);
  await payAtPlate(page, plate, "8.80");
  // Both WeChat Pay and Alipay are offered: the phone is asked, WeChat Pay chosen to begin with.
  await expect(page.getByTestId("choose-amount")).toHaveText("¥8.80");
  await expect(page.getByTestId("pay-method-wechat").locator("input")).toBeChecked();
  await choosePay(page, "wechat");
  const no = await confirmInSandbox(page, "¥8.80");
  expect(seen).toContain("/sandbox/wechat/h5");
  expect(seen).not.toContain("/sandbox/wechat/authorize");
  await expect(page.getByTestId("paid-external")).toContainText("¥8.80");
  await page.goto("/me/payments");
  await expect(page.getByTestId("payment-row")).toHaveCount(1);
  expect(no).toMatch(/^P/);
});

test("another phone browser: Alipay's signed WAP form, its gateway, back paid", async ({ page }, testInfo) => {
  await signInShopper(page, freshPhone(), "/balance/topup");
  const seen = visits(page);
  await page.getByTestId("topup-amount").fill("30");
  await page.getByTestId("topup-submit").click();
  // The shopper picks Alipay on the cashier's chooser.
  await choosePay(page, "alipay");
  if (testInfo.project.name === "nojs") {
    await expect(page.locator('form[data-flow="autosubmit"] input[name="method"]')).toHaveValue("alipay.trade.wap.pay");
    await page.getByTestId("flow-continue").click();
  }
  // With JavaScript the form goes to the gateway by itself.
  await confirmInSandbox(page, "¥30.00");
  expect(seen).toContain("/sandbox/alipay/gateway");
  expect(seen).not.toContain("/sandbox/wechat/h5");
  await expect(page.getByTestId("paid-external")).toContainText("¥30.00");
});

test("a desktop browser goes to the cashier's page at once", async ({ browser }, testInfo) => {
  const desk = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    userAgent: DESKTOP,
    javaScriptEnabled: testInfo.project.name === "js",
    locale: "zh-CN",
  });
  await ownAddress(desk);
  const page = await desk.newPage();
  await signInShopper(page, freshPhone(), "/balance/topup");
  const seen = visits(page);
  await page.getByTestId("topup-amount").fill("20");
  await page.getByTestId("topup-submit").click();
  await confirmInSandbox(page, "¥20.00");
  expect(seen.filter((p) => p.startsWith("/sandbox/wechat") || p.startsWith("/sandbox/alipay"))).toEqual([]);
  await desk.close();
});
