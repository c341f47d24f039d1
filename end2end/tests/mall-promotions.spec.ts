import { test, expect, Browser, Page } from "@playwright/test";
import { freshPhone, ownAddress, signInShopper, signInStaff } from "./helpers";
import { post, shot } from "./mall-helpers";

// Promotions from the shop's console to the shopper's price (issue 13), JavaScript on and off:
// 极客数码's owner makes a limited-time price and a 满减 in 促销 (plain forms); a shopper sees the
// product page's offer with its end (and, with JavaScript, a countdown), and the cart and checkout
// explain the price: list price, limited-time price, 满减 share, the stacking rules. The owner
// ends both at the end, so other specs meet the shop as seeded.

test.beforeEach(async ({ context }) => ownAddress(context));

async function owner(browser: Browser, js: boolean): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, javaScriptEnabled: js, locale: "zh-CN" });
  await ownAddress(context);
  const page = await context.newPage();
  await signInStaff(page, "geek.owner");
  await expect(page).toHaveURL(/\/tenant$/);
  return page;
}

test("a shop's limited-time price and 满减 are shown and explained to the shopper", async ({ page, browser }, info) => {
  const js = info.project.name === "js";
  const name = `E2E ${info.project.name} ${Date.now() % 100000}`;

  // A product of 极客数码 the shopper will buy, and its first sellable SKU.
  await page.goto("/mall/s/geek");
  const href = await page.locator('a[href^="/mall/p/"]').first().getAttribute("href");
  const productId = href!.split("/").pop()!;
  const product = await post(page, "/api/shop/product", { id: productId });
  const sku = product.skus.find((s: { sellable: boolean; stock: number }) => s.sellable && s.stock > 0);

  const desk = await owner(browser, js);
  await desk.goto("/tenant/promotions");
  const limitedForm = desk.getByTestId("form-limited");
  await limitedForm.getByTestId("limited-sku").selectOption(String(sku.id));
  const label = (await limitedForm.getByTestId("limited-sku").locator("option:checked").textContent())!;
  const list = Number(label.match(/¥([\d.]+)\)\s*$/)![1]);
  const price = (Math.ceil(list * 80) / 100).toFixed(2);
  await limitedForm.getByTestId("limited-price").fill(price);
  await limitedForm.locator('input[name="name"]').fill(name);
  await limitedForm.getByTestId("create-limited").click();
  await expect(desk.getByTestId("promo-row").filter({ hasText: name })).toHaveCount(1);
  const tiersForm = desk.getByTestId("form-spend-off");
  await tiersForm.getByTestId("t1").fill("10");
  await tiersForm.getByTestId("o1").fill("1");
  await tiersForm.locator('input[name="name"]').fill(name);
  await tiersForm.getByTestId("create-spend-off").click();
  await expect(desk.getByTestId("promo-row").filter({ hasText: name })).toHaveCount(2);
  await shot(desk, `mall-promotions-console-${info.project.name}`);

  // The product page: the limited-time price and its end; with JavaScript a live countdown.
  await signInShopper(page, freshPhone(), "/mall");
  await page.goto(`/mall/p/${productId}?sku=${sku.id}`);
  await expect(page.getByTestId("limited-offer")).toBeVisible();
  await expect(page.getByTestId("limited-ends")).toContainText("结束");
  if (js) await expect(page.getByTestId("limited-countdown")).toHaveText(/还剩 .*\d\d:\d\d:\d\d/);
  else await expect(page.getByTestId("limited-countdown")).toBeHidden();
  await shot(page, `mall-promotions-product-${info.project.name}`);

  // Cart and checkout explain the price: list, limited-time price, 满减 share, the rules.
  await post(page, "/api/mall/cart/add", { sku: String(sku.id), quantity: "1" });
  await page.goto("/mall/cart");
  const line = page.getByTestId("cart-line");
  await expect(line.getByTestId("line-explain")).toContainText("限时价");
  await expect(line.getByTestId("line-explain")).toContainText("满减 −");
  await expect(page.getByTestId("tier-reached")).toBeVisible();
  await expect(page.getByTestId("stacking-rules")).toBeVisible();
  await shot(page, `mall-promotions-cart-${info.project.name}`);
  await page.getByTestId("go-checkout").click();
  await expect(page).toHaveURL(/\/mall\/checkout$/);
  const shop = page.getByTestId("checkout-shop");
  await expect(shop.getByTestId("line-explain")).toContainText("限时价");
  await expect(shop.getByTestId("line-explain")).toContainText("满减 −");
  await expect(shop.locator("s")).toContainText(`¥${list.toFixed(2)}`);
  await expect(page.getByTestId("stacking-rules")).toBeVisible();

  // The owner ends both.
  for (let i = 0; i < 2; i++) {
    await desk.goto("/tenant/promotions");
    const row = desk.getByTestId("promo-row").filter({ hasText: name }).filter({ has: desk.getByTestId("promo-end") });
    await row.first().getByTestId("promo-end").click();
    await expect(desk.getByTestId("promo-row").filter({ hasText: name }).filter({ has: desk.getByTestId("promo-end") })).toHaveCount(1 - i);
  }
  await desk.context().close();
});
