import { test, expect, Page } from "@playwright/test";
import { ownAddress, signInShopper, signInStaff, choosePay } from "./helpers";

test.beforeEach(async ({ context }) => ownAddress(context));

/** The path of the shop's first active plate, as its console lists it. */
async function platePath(page: Page): Promise<string> {
  await page.goto("/tenant/plates");
  const link = page.getByTestId("plate-row").first().getByTestId("plate-link");
  const href = (await link.getAttribute("href"))!;
  return new URL(href).pathname;
}

async function typeAmount(page: Page, amount: string, js: boolean) {
  if (js) {
    for (const key of amount) await page.getByTestId(`key-${key}`).click();
    await expect(page.getByTestId("amount-input")).toHaveValue(amount);
  } else {
    await page.getByTestId("amount-input").fill(amount);
  }
  await page.getByTestId("amount-next").click();
}

test("a shopper pays at a plate with a coupon, points and the sandbox, and the counter sees it live", async ({
  page,
  browser,
}, testInfo) => {
  const js = testInfo.project.name === "js";
  // The cashier's screen, on a desk: open before the payment, it must show it without reload.
  const counter = await browser.newPage({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: js, locale: "zh-CN" });
  await ownAddress(counter.context());
  await signInStaff(counter, "sichuan.cashier");
  const plate = await platePath(counter);
  await counter.goto("/tenant/counter");
  if (js) await expect(counter.getByTestId("feed-status")).toHaveAttribute("data-live", "true");

  // The demo shopper has points; one per project so the two runs do not share balances.
  const phone = js ? "13700137000" : "13600136000";
  await signInShopper(page, phone, "/coupons/claim");
  const welcome = page.getByTestId("offer").filter({ hasText: "新人礼" });
  await welcome.getByRole("button", { name: "立即领取" }).click();
  await expect(page.getByRole("status")).toHaveText("领取成功，已放入卡券包");

  await page.goto(plate);
  await expect(page.getByTestId("plate-tenant")).toHaveText("川味小馆");
  await typeAmount(page, "300", js);
  await expect(page).toHaveURL(/\/pay\?amount=300/);
  await expect(page.getByTestId("pay-amount")).toHaveText("¥300.00");

  // The best coupon is chosen for the shopper; points too. Pay the rest outside stored value.
  await expect(page.getByTestId("bd-coupon")).toHaveText("-¥20.00");
  await page.getByTestId("use-sv").uncheck();
  if (!js) await page.getByRole("button", { name: "更新金额" }).click();
  await expect(page.getByTestId("bd-sv")).toHaveText("-¥0.00");
  await expect(page.getByTestId("bd-points")).not.toHaveText("-¥0.00");
  const toPay = (await page.getByTestId("bd-to-pay").textContent())!.trim();
  expect(toPay).not.toBe("¥0.00");

  await page.getByTestId("pay-submit").click();
  await choosePay(page);
  await expect(page).toHaveURL(/\/sandbox\/pay\/P\w+(\?|$)/);
  await expect(page.getByTestId("sandbox-amount")).toHaveText(toPay);
  await page.getByTestId("sandbox-confirm").click();
  await expect(page).toHaveURL(/\/pay\/result\/P\w+$/);
  const paymentNo = page.url().split("/").pop()!;
  const result = page.getByTestId("pay-result");
  await expect(result).toHaveAttribute("data-state", "paid");
  await expect(page.getByTestId("points-earned")).toContainText("待生效");

  // The counter: live with JavaScript, on the next load without.
  if (!js) await counter.reload();
  const line = counter.locator(`[data-testid="sale-line"][data-payment="${paymentNo}"]`);
  await expect(line).toBeVisible();
  await expect(line.getByTestId("sale-amount")).toHaveText("¥300.00");
  if (js) await expect(counter.getByTestId("sale-alert")).toBeVisible();

  // And in the shopper's history.
  await page.goto("/me/payments");
  await expect(page.getByTestId("payment-row").first()).toContainText("川味小馆");
  await counter.close();
});

test("a signed-out shopper signs in on the way and comes back to the plate with the amount kept", async ({
  page,
  browser,
}, testInfo) => {
  const js = testInfo.project.name === "js";
  const staff = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: "zh-CN" });
  await ownAddress(staff.context());
  await signInStaff(staff, "sichuan.owner");
  const plate = await platePath(staff);
  await staff.close();

  await page.goto(plate);
  await typeAmount(page, "12.5", js);
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel("手机号").fill(js ? "13700000101" : "13700000102");
  await page.getByRole("button", { name: "获取验证码" }).click();
  const code = (await page.getByTestId("dev-code").locator("strong").textContent())!.trim();
  await page.getByLabel("验证码").fill(code);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${plate}/pay\\?amount=12.5$`));
  await expect(page.getByTestId("pay-amount")).toHaveText("¥12.50");
  // A new member has nothing to spend: all of it goes to the provider; cancelling takes nothing.
  await expect(page.getByTestId("bd-to-pay")).toHaveText("¥12.50");
  await page.getByTestId("pay-submit").click();
  await choosePay(page);
  await page.getByTestId("sandbox-cancel").click();
  await expect(page.getByTestId("pay-result")).toHaveAttribute("data-state", "closed");
});

test("a wrong amount is refused with the reason, and a revoked plate takes nothing", async ({ browser, page: shopper }, testInfo) => {
  const js = testInfo.project.name === "js";
  // The owner's console is a desktop page.
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: js, locale: "zh-CN" });
  await ownAddress(page.context());
  await signInStaff(page, "yishang.owner");
  await page.goto("/tenant/plates");
  await page.getByTestId("plate-name").fill(js ? "临时码牌 A" : "临时码牌 B");
  await page.getByTestId("plate-issue").click();
  await expect(page).toHaveURL(/issued=/);
  const code = new URL(page.url()).searchParams.get("issued")!;
  const row = page.locator(`[data-testid="plate-row"][data-code="${code}"]`);
  await expect(row).toBeVisible();
  await row.getByRole("link", { name: "打印" }).click();
  await expect(page.getByTestId("plate-sheet")).toContainText("衣尚");
  await expect(page.getByTestId("plate-sheet").locator("svg")).toBeVisible();

  await signInShopper(shopper, js ? "13700000103" : "13700000104", "/card");
  await shopper.goto(`/p/${code}/pay?amount=0`);
  await expect(shopper.getByRole("alert").first()).toContainText("金额须在");
  await shopper.goto(`/p/${code}/pay?amount=1.234`);
  await expect(shopper.getByRole("alert").first()).toContainText("最多两位小数");
  await page.goto("/tenant/plates");
  await page.locator(`[data-testid="plate-row"][data-code="${code}"]`).getByRole("button", { name: "停用" }).click();
  await shopper.goto(`/p/${code}`);
  await expect(shopper.getByTestId("plate-unavailable")).toBeVisible();
  await page.close();
});

test("an operator manages a shop's plates and watches every shop's sales", async ({ browser }, testInfo) => {
  const js = testInfo.project.name === "js";
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: js, locale: "zh-CN" });
  await ownAddress(page.context());
  await signInStaff(page, "admin");
  await page.goto("/ops/tenants");
  await page.getByRole("row").filter({ hasText: "衣尚精品" }).getByRole("link", { name: "收款码牌" }).click();
  await expect(page).toHaveURL(/\/ops\/tenants\/\d+\/plates$/);
  await page.getByTestId("plate-name").fill(js ? "商场代发 A" : "商场代发 B");
  await page.getByTestId("plate-issue").click();
  await expect(page).toHaveURL(/\/ops\/tenants\/\d+\/plates\?issued=/);
  await expect(page.getByTestId("plate-row").filter({ hasText: js ? "商场代发 A" : "商场代发 B" })).toBeVisible();
  await page.goto("/ops/sales");
  await expect(page.getByTestId("today-count")).toBeVisible();
  await page.close();
});

test("a box unticked before the page's script has loaded stays unticked and the breakdown follows it", async ({
  page,
  browser,
}, testInfo) => {
  test.skip(testInfo.project.name !== "js", "only a page with JavaScript hydrates");
  const staff = await browser.newPage({ locale: "zh-CN" });
  await ownAddress(staff.context());
  await signInStaff(staff, "sichuan.cashier");
  const plate = await platePath(staff);
  await staff.close();
  // A demo shopper with stored value (¥210 at the start); nothing is paid here.
  await signInShopper(page, "13800138000");
  // The WebAssembly is held back until the shopper has unticked stored value.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/*.wasm", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${plate}/pay?amount=300`);
  await expect(page.getByTestId("use-sv")).toBeChecked();
  await expect(page.getByTestId("bd-sv")).not.toHaveText("-¥0.00");
  await page.getByTestId("use-sv").uncheck();
  release();
  await expect(page.getByTestId("bd-sv")).toHaveText("-¥0.00");
  await expect(page.getByTestId("use-sv")).not.toBeChecked();
  const toPay = page.getByTestId("bd-to-pay");
  await expect(toPay).not.toHaveText("¥0.00");
  expect(await page.locator('input[name="expected_to_pay"]').inputValue()).toBe(
    String(Math.round(Number((await toPay.textContent())!.replace(/[¥,]/g, "")) * 100)),
  );
});
