import { test, expect, Browser, Page } from "@playwright/test";
import { freshPhone, ownAddress, signInShopper, signInStaff, choosePay } from "./helpers";
import { addBySearch, addFromShop, claimWelcome, shot } from "./mall-helpers";

// The mall's whole checkout (issue 13), run by both projects (JavaScript on and off): a cart with
// goods of two shops — 家物集's 保温杯 at its limited-time price reaching 满99减10, and something of
// 暖暖生活馆 — and the welcome coupon, paid once in the sandbox. 家物集's order is picked up: the
// shop accepts (with JavaScript the shopper's order page changes by itself, from the event
// stream) and takes the shopper's code; 暖暖生活馆's is shipped with carrier and tracking number
// and confirmed by the shopper. Then one cup is asked back and refunded (its share of what was
// paid). mall-aftersales.spec covers the request's photos, rejection and dispute.

test.beforeEach(async ({ context }) => ownAddress(context));

async function staff(browser: Browser, username: string, js: boolean): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: js, locale: "zh-CN" });
  await ownAddress(context);
  const page = await context.newPage();
  await signInStaff(page, username);
  await expect(page).toHaveURL(/\/tenant$/);
  return page;
}

test("two shops, a promotion and a coupon, paid once; picked up, shipped, confirmed, one line refunded", async ({ page, browser }, info) => {
  const js = info.project.name === "js";
  await signInShopper(page, freshPhone(), "/mall");
  await claimWelcome(page);
  const home = await addBySearch(page, "保温杯", 2);
  const cozy = await addFromShop(page, "cozy");

  // The cart: two shops, the cup's limited-time price explained, 满99减10 reached.
  await page.goto("/mall/cart");
  await expect(page.getByTestId("cart-shop")).toHaveCount(2);
  const cups = page.getByTestId("cart-line").filter({ hasText: "保温杯" });
  await expect(cups.getByTestId("line-explain")).toContainText("限时价 ¥69.00");
  await expect(page.getByTestId("tier-reached").first()).toContainText("已减 ¥10.00");

  // Checkout: an address for 暖暖生活馆's delivery, pickup at 家物集, the coupon chosen for us.
  await page.getByTestId("go-checkout").click();
  await expect(page).toHaveURL(/\/mall\/checkout$/);
  await page.getByTestId("add-address").locator("summary").click();
  const address = page.getByTestId("add-address");
  await address.locator('input[name="name"]').fill("王小明");
  await address.locator('input[name="phone"]').fill("13800138000");
  await address.locator('input[name="address"]').fill("上海市浦东新区世纪大道 100 号 8 楼");
  await address.getByRole("button").click();
  await page.goto("/mall/checkout");
  const shops = page.getByTestId("checkout-shop");
  await expect(shops).toHaveCount(2);
  await shops.filter({ hasText: "暖暖生活馆" }).getByTestId("fulfil-delivery").first().check();
  await expect(page.getByTestId("coupon-choice").filter({ hasText: "新人礼" }).locator("input")).toBeChecked();
  await page.getByTestId("use-points").uncheck();
  await page.getByTestId("use-sv").uncheck();
  await page.getByTestId("update-breakdown").click();
  await expect(page.getByTestId("coupon-choice").filter({ hasText: "新人礼" }).locator("input")).toBeChecked();
  await shot(page, `mall-checkout-${info.project.name}`);
  await page.getByTestId("place-order").click();
  await choosePay(page);
  await expect(page).toHaveURL(/\/sandbox\/pay\/\w+(\?|$)/);
  const payment = new URL(page.url()).pathname.split("/").pop()!;
  await page.getByTestId("sandbox-confirm").click();
  await expect(page).toHaveURL(/\/pay\/result\/\w+$/);

  // One payment, one order per shop.
  const orders = [`${payment}-1`, `${payment}-2`];
  let pickup = "";
  let shipped = "";
  for (const no of orders) {
    await page.goto(`/mall/order/${no}`);
    await expect(page.getByTestId("mall-order-state")).toHaveAttribute("data-state", "paid");
    if ((await page.getByTestId("mall-order-state").textContent())!.includes("家物集")) pickup = no;
    else shipped = no;
  }
  expect(pickup && shipped).toBeTruthy();

  // 家物集 accepts the pickup order: the shopper's open page changes by itself (JavaScript on).
  await page.goto(`/mall/order/${pickup}`);
  const homeDesk = await staff(browser, "homegoods.fulfilment", js);
  await homeDesk.goto(`/tenant/orders/${pickup}`);
  await homeDesk.getByTestId("accept-order").click();
  await expect(homeDesk.getByTestId("shop-order-state")).toHaveAttribute("data-state", "ready");
  if (!js) await page.reload();
  await expect(page.getByTestId("mall-order-state")).toHaveAttribute("data-state", "ready");
  const code = (await page.getByTestId("pickup-code").textContent())!.trim();
  await homeDesk.goto("/tenant/orders");
  await homeDesk.getByTestId("pickup-code-input").fill(code);
  await homeDesk.getByTestId("hand-over").click();
  await expect(homeDesk.getByTestId("handed-over")).toContainText(pickup);
  if (!js) await page.reload();
  await expect(page.getByTestId("mall-order-state")).toHaveAttribute("data-state", "completed");
  await homeDesk.context().close();

  // 暖暖生活馆 accepts and ships; the shopper sees the carrier and number and confirms receipt.
  await page.goto(`/mall/order/${shipped}`);
  const cozyDesk = await staff(browser, "cozy.fulfilment", js);
  await cozyDesk.goto(`/tenant/orders/${shipped}`);
  await cozyDesk.getByTestId("accept-order").click();
  await expect(cozyDesk.getByTestId("shop-order-state")).toHaveAttribute("data-state", "accepted");
  await cozyDesk.getByTestId("carrier").fill("顺丰速运");
  await cozyDesk.getByTestId("tracking-no").fill("SF1234567890");
  await cozyDesk.getByTestId("dispatch").click();
  await expect(cozyDesk.getByTestId("shop-order-state")).toHaveAttribute("data-state", "shipped");
  await cozyDesk.context().close();
  if (!js) await page.reload();
  await expect(page.getByTestId("mall-order-state")).toHaveAttribute("data-state", "shipped");
  await expect(page.getByTestId("tracking")).toContainText("SF1234567890");
  await shot(page, `mall-shipped-${info.project.name}`);
  await page.getByTestId("confirm-receipt").click();
  await expect(page.getByTestId("mall-order-state")).toHaveAttribute("data-state", "completed");

  // One of the two cups back: the shop approves and the refund is that cup's share.
  await page.goto(`/mall/order/${pickup}`);
  await page.getByTestId("request-aftersales").click();
  await page.getByTestId("aftersales-quantity").first().fill("1");
  await page.getByTestId("aftersales-reason").selectOption("damaged");
  await page.getByTestId("aftersales-words").fill("杯盖漏水");
  await page.getByTestId("aftersales-submit").click();
  await expect(page.getByTestId("aftersales")).toHaveAttribute("data-state", "requested");
  const approver = await staff(browser, "homegoods.fulfilment", js);
  await approver.goto(`/tenant/orders/${pickup}`);
  await approver.getByTestId("aftersales-approve").click();
  await expect(approver.getByTestId("aftersales")).toHaveAttribute("data-state", "refunded");
  await approver.context().close();
  await page.goto(`/mall/order/${pickup}`);
  await expect(page.getByTestId("aftersales")).toHaveAttribute("data-state", "refunded");
  await expect(page.getByTestId("order-refunded")).toBeVisible();
  expect(home.tenant).not.toBe(cozy.tenant);
});
