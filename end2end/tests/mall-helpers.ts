import { expect, Page } from "@playwright/test";

// Steps the mall's specs share (mall-checkout, mall-promotions): a form posted as the page's own
// session, a product found by search, the welcome coupon claimed.

/** Posts `body` to a server function as the page's session; its JSON answer. */
export async function post(page: Page, path: string, body: Record<string, string>) {
  const reply = await page.request.post(path, { form: body, headers: { Accept: "application/json" } });
  expect(reply.status(), `${path}: ${await reply.text()}`).toBeLessThan(400);
  return reply.json().catch(() => null);
}

/** Puts `quantity` of the first sellable SKU of the first product `words` finds into the cart. */
export async function addBySearch(page: Page, words: string, quantity = 1) {
  await page.goto(`/mall/search?q=${encodeURIComponent(words)}`);
  const href = await page.getByTestId("product-card").first().locator('a[href^="/mall/p/"]').first().getAttribute("href");
  const id = href!.split("/").pop()!;
  const product = await post(page, "/api/shop/product", { id });
  const sku = product.skus.find((s: { sellable: boolean; stock: number }) => s.sellable && s.stock >= quantity);
  await post(page, "/api/mall/cart/add", { sku: String(sku.id), quantity: String(quantity) });
  return { product: id, sku: sku.id as number, tenant: product.shop.tenant as number };
}

/** Puts one unit of the first product on shop `code`'s page into the cart. */
export async function addFromShop(page: Page, code: string) {
  await page.goto(`/mall/s/${code}`);
  const href = await page.locator('a[href^="/mall/p/"]').first().getAttribute("href");
  const product = await post(page, "/api/shop/product", { id: href!.split("/").pop()! });
  const sku = product.skus.find((s: { sellable: boolean; stock: number }) => s.sellable && s.stock > 0);
  await post(page, "/api/mall/cart/add", { sku: String(sku.id), quantity: "1" });
  return { sku: sku.id as number, tenant: product.shop.tenant as number };
}

/** Claims the mall's welcome coupon (新人礼 满100减20) in the claim centre. */
export async function claimWelcome(page: Page) {
  await page.goto("/coupons/claim");
  const welcome = page.getByTestId("offer").filter({ hasText: "新人礼" });
  await welcome.getByRole("button", { name: "立即领取" }).click();
  await expect(page.getByRole("status")).toHaveText("领取成功，已放入卡券包");
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: `target/e2e/shots/${name}.png`, fullPage: true });
}
