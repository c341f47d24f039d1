import { expect, test, Page } from "@playwright/test";
import { freshPhone, ownAddress, signInShopper, signInStaff } from "./helpers";

// After-sales of a mall order (issue 13): a shopper pays a homegoods order in the sandbox, asks
// for a refund of one line with a photo, the shop approves and the shopper sees the refund; and
// a rejection disputed and refunded by the operator. The same with JavaScript off: every step is
// a plain form (the request a multipart form to POST /mall/aftersales).

const PHOTO = "ocr/fixtures/receipts/noodle-sans.jpg";

async function form(page: Page, path: string, body: Record<string, string>) {
  const reply = await page.request.post(path, {
    form: body,
    headers: { Accept: "application/json" },
  });
  expect(reply.status(), `${path}: ${await reply.text()}`).toBeLessThan(400);
  return reply.json().catch(() => null);
}

/** A paid homegoods pickup order of one unit; its number. */
async function paidOrder(page: Page): Promise<string> {
  await page.goto("/mall/s/homegoods");
  const href = await page.locator('a[href^="/mall/p/"]').first().getAttribute("href");
  const id = href!.split("/").pop()!;
  const product = await form(page, "/api/shop/product", { id });
  const sku = product.skus.find((s: { sellable: boolean; stock: number }) => s.sellable && s.stock > 0);
  const tenant = product.shop.tenant;
  await form(page, "/api/mall/cart/add", { sku: String(sku.id), quantity: "1" });
  const payment = await form(page, "/api/mall/order/place", {
    request_key: `as-${Date.now()}-${Math.random()}`,
    [`fulfil[${tenant}]`]: "pickup",
  });
  await page.goto(`/sandbox/pay/${payment}`);
  await page.getByTestId("sandbox-confirm").click();
  await expect(page).toHaveURL(/\/pay\/result\//);
  return `${payment}-1`;
}

async function askForRefund(page: Page, order: string) {
  await page.goto(`/mall/order/${order}`);
  await page.getByTestId("request-aftersales").click();
  await expect(page).toHaveURL(new RegExp(`/mall/order/${order}/aftersales$`));
  await page.getByTestId("aftersales-quantity").first().fill("1");
  await page.getByTestId("aftersales-reason").selectOption("damaged");
  await page.getByTestId("aftersales-words").fill("杯口有裂纹");
  await page.getByTestId("aftersales-photos").setInputFiles(PHOTO);
  await page.getByTestId("aftersales-submit").click();
  await expect(page).toHaveURL(new RegExp(`/mall/order/${order}\\?aftersales=`));
  await expect(page.getByTestId("aftersales-sent")).toBeVisible();
  await expect(page.getByTestId("aftersales")).toHaveAttribute("data-state", "requested");
  await expect(page.getByTestId("aftersales-photo")).toHaveCount(1);
}

for (const js of [true, false]) {
  test.describe(`after-sales, JavaScript ${js ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled: js });

    test("a refund of one line, approved by the shop", async ({ browser }) => {
      const shopper = await browser.newContext({ javaScriptEnabled: js });
      await ownAddress(shopper);
      const page = await shopper.newPage();
      await signInShopper(page, freshPhone(), "/mall");
      const order = await paidOrder(page);
      await askForRefund(page, order);

      const staff = await browser.newContext({ javaScriptEnabled: js });
      await ownAddress(staff);
      const shop = await staff.newPage();
      await signInStaff(shop, "homegoods.fulfilment");
      await shop.goto("/tenant/orders?aftersales=waiting");
      await expect(shop.getByTestId("aftersales").first()).toBeVisible();
      await shop.goto(`/tenant/orders/${order}`);
      // The shop sees the shopper's photo.
      const thumb = shop.getByTestId("aftersales-photo");
      await expect(thumb).toHaveCount(1);
      const src = await thumb.getAttribute("src");
      expect((await shop.request.get(src!)).status()).toBe(200);
      await shop.getByTestId("aftersales-approve").click();
      await expect(shop.getByTestId("aftersales")).toHaveAttribute("data-state", "refunded");

      await page.goto(`/mall/order/${order}`);
      await expect(page.getByTestId("aftersales")).toHaveAttribute("data-state", "refunded");
      await expect(page.getByTestId("order-refunded")).toBeVisible();
      await shopper.close();
      await staff.close();
    });

    test("a rejection disputed and refunded by the operator", async ({ browser }) => {
      const shopper = await browser.newContext({ javaScriptEnabled: js });
      await ownAddress(shopper);
      const page = await shopper.newPage();
      await signInShopper(page, freshPhone(), "/mall");
      const order = await paidOrder(page);
      await askForRefund(page, order);

      const staff = await browser.newContext({ javaScriptEnabled: js });
      await ownAddress(staff);
      const shop = await staff.newPage();
      await signInStaff(shop, "homegoods.fulfilment");
      await shop.goto(`/tenant/orders/${order}`);
      await shop.getByTestId("aftersales-reject").click();
      await shop.getByTestId("aftersales-reject-reason").fill("商品完好，不影响使用");
      await shop.getByTestId("aftersales-reject-submit").click();
      await expect(shop.getByTestId("aftersales")).toHaveAttribute("data-state", "rejected");

      await page.goto(`/mall/order/${order}`);
      await expect(page.getByTestId("aftersales")).toContainText("商品完好，不影响使用");
      await page.getByTestId("dispute-aftersales").click();
      await page.getByTestId("dispute-note").fill("照片里能看到裂纹");
      await page.getByTestId("dispute-submit").click();
      await expect(page.getByTestId("aftersales")).toHaveAttribute("data-state", "disputed");

      const opsContext = await browser.newContext({ javaScriptEnabled: js });
      await ownAddress(opsContext);
      const ops = await opsContext.newPage();
      await signInStaff(ops, "ops");
      await ops.goto("/ops/aftersales");
      const card = ops.locator(`[data-testid="aftersales"]`, { hasText: order });
      await expect(card).toContainText("照片里能看到裂纹");
      await card.getByTestId("arbitration-note").fill("照片可见裂纹，支持退款");
      await card.getByTestId("arbitrate-refund").check();
      await card.getByTestId("arbitrate-submit").click();
      await expect(ops).toHaveURL(/\/ops\/aftersales/);

      await page.goto(`/mall/order/${order}`);
      await expect(page.getByTestId("aftersales")).toHaveAttribute("data-state", "refunded");
      await expect(page.getByTestId("aftersales")).toContainText("照片可见裂纹，支持退款");
      await shopper.close();
      await staff.close();
      await opsContext.close();
    });
  });
}
