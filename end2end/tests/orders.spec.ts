import { test, expect, Page } from "@playwright/test";
import { freshPhone, ownAddress, signInShopper, signInStaff, choosePay } from "./helpers";

// Mall orders end to end: a shopper puts a product in the cart, checks out for pickup, pays in
// the sandbox; the shop accepts the order and hands it over against the shopper's pickup code.
// Run with JavaScript on and off (every form is a plain form).

test.beforeEach(async ({ context }) => ownAddress(context));

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `target/e2e/shots/${name}.png`, fullPage: true });
}

/** Opens the first search hit for `words` and chooses the first possible value of each spec. */
async function openProduct(page: Page, words: string) {
  await page.goto(`/mall/search?q=${encodeURIComponent(words)}`);
  await page.getByTestId("product-card").first().locator("a").first().click();
  await expect(page).toHaveURL(/\/mall\/p\/\d+/);
  const specs = page.getByTestId("spec");
  for (let i = 0; i < (await specs.count()); i++) {
    const option = specs.nth(i).getByTestId("spec-option").first();
    if ((await option.getAttribute("aria-current")) !== "true") {
      await option.click();
    }
  }
}

test("a shopper buys for pickup, pays in the sandbox, and the shop hands it over by code", async ({ page, browser }, info) => {
  const js = info.project.name === "js";
  await signInShopper(page, freshPhone(), "/mall");
  await openProduct(page, "收纳箱");
  await page.getByTestId("add-to-cart").click();
  await expect(page).toHaveURL(/\/mall\/cart$/);
  await expect(page.getByTestId("cart-line")).toHaveCount(1);
  await expect(page.getByTestId("line-quantity")).toHaveText("1");
  await page.getByTestId("line-more").click();
  await expect(page.getByTestId("line-quantity")).toHaveText("2");
  await shot(page, `orders-cart-${info.project.name}`);
  await page.getByTestId("go-checkout").click();
  await expect(page).toHaveURL(/\/mall\/checkout$/);
  await expect(page.getByTestId("checkout-shop")).toHaveCount(1);
  await shot(page, `orders-checkout-${info.project.name}`);
  await page.getByTestId("place-order").click();
  await choosePay(page);
  await expect(page).toHaveURL(/\/sandbox\/pay\/\w+(\?|$)/);
  const payment = new URL(page.url()).pathname.split("/").pop()!;
  await page.getByTestId("sandbox-confirm").click();
  await expect(page).toHaveURL(/\/pay\/result\/\w+$/);
  const order = `${payment}-1`;

  await page.goto("/mall/orders");
  await expect(page.getByTestId("mall-order").first()).toHaveAttribute("data-state", "paid");
  await page.goto(`/mall/order/${order}`);
  await expect(page.getByTestId("mall-order-state")).toHaveAttribute("data-state", "paid");

  // The shop accepts; the shopper's page shows the code.
  const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: js });
  await ownAddress(desk);
  const shop = await desk.newPage();
  await signInStaff(shop, "homegoods.fulfilment");
  await expect(shop).toHaveURL(/\/tenant$/);
  await shop.goto("/tenant/orders");
  await expect(shop.getByTestId("shop-order").filter({ hasText: order })).toHaveAttribute("data-state", "paid");
  await shop.goto(`/tenant/orders/${order}`);
  await shop.getByTestId("accept-order").click();
  await expect(shop.getByTestId("shop-order-state")).toHaveAttribute("data-state", "ready");

  await page.reload();
  await expect(page.getByTestId("mall-order-state")).toHaveAttribute("data-state", "ready");
  const code = (await page.getByTestId("pickup-code").textContent())!.trim();
  expect(code).toMatch(/^\d{8}$/);
  await shot(page, `orders-pickup-${info.project.name}`);

  // A wrong code is refused; the right one hands the order over, once.
  await shop.goto("/tenant/orders");
  const wrong = code === "00000000" ? "11111111" : "00000000";
  await shop.getByTestId("pickup-code-input").fill(wrong);
  await shop.getByTestId("hand-over").click();
  await expect(shop.getByRole("alert")).toBeVisible();
  await shop.goto("/tenant/orders");
  await shop.getByTestId("pickup-code-input").fill(code);
  await shop.getByTestId("hand-over").click();
  await expect(shop.getByTestId("handed-over")).toContainText(order);
  await expect(shop.getByTestId("shop-order-state")).toHaveAttribute("data-state", "completed");
  await shot(shop, `orders-console-${info.project.name}`);
  await desk.close();

  await page.reload();
  await expect(page.getByTestId("mall-order-state")).toHaveAttribute("data-state", "completed");
});
