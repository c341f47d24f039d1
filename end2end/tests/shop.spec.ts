import { test, expect, Browser, Page } from "@playwright/test";
import { ownAddress, signInStaff } from "./helpers";

// The online mall's catalogue end to end: a storefront's owner creates a product with two spec
// dimensions and photos and publishes it; a shopper finds it by searching in Chinese and picks
// a SKU; the demo mall is browsable and searchable. Run with JavaScript on and off.

test.beforeEach(async ({ context }) => ownAddress(context));

/** A product photo: a coloured square with a shape, photographed as a PNG. */
async function photo(browser: Browser, colour: string): Promise<Buffer> {
  const context = await browser.newContext({ viewport: { width: 480, height: 480 }, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.setContent(`<html><body style="margin:0">
    <div id="p" style="width:400px;height:400px;background:#f4f1ec;display:flex;align-items:center;justify-content:center">
      <div style="width:180px;height:300px;border-radius:28px;background:${colour}"></div>
    </div></body></html>`);
  const png = await page.locator("#p").screenshot();
  await context.close();
  return png;
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `target/e2e/shots/${name}.png`, fullPage: true });
}

test("a shop creates a product with two specs and photos, publishes it, and a shopper finds it and picks a SKU", async ({
  page,
  browser,
}, info) => {
  const js = info.project.name === "js";
  const tag = `${Date.now() % 100000}${js ? "J" : "N"}`;
  const title = `磁吸无线充电宝 快充版 ${tag}`;

  const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: js });
  await ownAddress(desk);
  const shop = await desk.newPage();
  await signInStaff(shop, "geek.owner");
  await expect(shop).toHaveURL(/\/tenant$/);
  await shop.goto("/tenant/products");
  await expect(shop.getByTestId("product-table")).toContainText("iPhone 15 手机壳");
  await shop.getByTestId("new-product").click();
  await expect(shop).toHaveURL(/\/tenant\/products\/new$/);

  // A refused form changes nothing and says why.
  await shop.getByTestId("product-title").fill(title);
  await shop.getByTestId("product-category").selectOption({ label: "手机配件" });
  await shop.getByTestId("spec-name-1").fill("颜色");
  await shop.getByTestId("spec-values-1").fill("星空灰，雾蓝，星空灰");
  await shop.getByTestId("product-price").fill("99");
  await shop.getByTestId("product-stock").fill("10");
  await shop.getByTestId("create-product").click();
  await expect(shop.getByRole("alert")).toContainText("重复");

  await shop.getByTestId("product-title").fill(title);
  await shop.getByTestId("product-category").selectOption({ label: "手机配件" });
  await shop.getByTestId("spec-name-1").fill("颜色");
  await shop.getByTestId("spec-values-1").fill("星空灰，雾蓝");
  await shop.getByTestId("spec-name-2").fill("容量");
  await shop.getByTestId("spec-values-2").fill("5000mAh、10000mAh");
  await shop.getByTestId("product-price").fill("99");
  await shop.getByTestId("product-stock").fill("10");
  await shop.getByTestId("create-product").click();
  await expect(shop).toHaveURL(/\/tenant\/products\/\d+/);
  await expect(shop.getByTestId("product-saved")).toBeVisible();
  await expect(shop.getByTestId("product-status")).toHaveText("草稿");
  await expect(shop.getByTestId("sku-row")).toHaveCount(4);

  // Publishing needs a photo.
  await shop.getByTestId("publish").click();
  await expect(shop.getByRole("alert")).toContainText("图片");

  // With JavaScript the island sends each photo on its own (its progress shown); without, the
  // form posts both at once.
  const uploads: string[] = [];
  shop.on("request", (r) => {
    if (r.method() === "POST" && r.url().endsWith("/tenant/shop/photos")) uploads.push(r.headers()["accept"] ?? "");
  });
  if (js) await expect(shop.locator("form.shop-upload[data-upload=gallery][data-ready]")).toBeAttached();
  await shop.getByTestId("photo-input").setInputFiles([
    { name: "grey.png", mimeType: "image/png", buffer: await photo(browser, "#55585e") },
    { name: "blue.png", mimeType: "image/png", buffer: await photo(browser, "#7f9cc0") },
  ]);
  await shop.getByTestId("photo-upload").click();
  await expect(shop.getByTestId("gallery-photo")).toHaveCount(2);
  await expect(shop).toHaveURL(/uploaded=2/);
  expect(uploads.length).toBe(js ? 2 : 1);
  if (js) expect(uploads.every((a) => a.includes("application/json"))).toBe(true);

  // The 10000mAh SKUs cost more; one combination is switched off.
  const rows = shop.getByTestId("sku-row");
  await rows.filter({ hasText: "星空灰 / 10000mAh" }).locator("input[name$='[price]']").fill("129");
  await rows.filter({ hasText: "雾蓝 / 10000mAh" }).locator("input[name$='[price]']").fill("129");
  await rows.filter({ hasText: "雾蓝 / 10000mAh" }).locator("input[name$='[member_price]']").fill("119");
  await rows.filter({ hasText: "星空灰 / 5000mAh" }).locator("input[name$='[enabled]']").uncheck();
  await shop.getByTestId("save-skus").click();
  await expect(shop.getByTestId("product-saved")).toBeVisible();

  await shop.getByTestId("adjust-sku").selectOption({ label: "雾蓝 / 10000mAh (10)" });
  await shop.getByTestId("adjust-delta").fill("+5");
  await shop.getByTestId("adjust-stock").click();
  await expect(shop.getByTestId("stock-history")).toContainText("+5");

  await shop.getByTestId("publish").click();
  await expect(shop.getByTestId("product-status")).toHaveText("在售");
  if (js) await shot(shop, "shop-product-editor");
  await desk.close();

  // A shopper searches in Chinese and picks a SKU.
  await page.goto("/mall");
  await page.getByTestId("mall-search").fill("充电宝");
  await page.getByTestId("mall-search").press("Enter");
  await expect(page).toHaveURL(/\/mall\/search\?q=/);
  const card = page.getByTestId("product-card").filter({ hasText: tag });
  await expect(card).toBeVisible();
  await card.click();
  await expect(page.getByTestId("product-page")).toContainText(title);
  await expect(page.getByTestId("sku-status")).toHaveText("请选择规格");
  await page.getByTestId("spec-option").filter({ hasText: "雾蓝" }).click();
  await page.getByTestId("spec-option").filter({ hasText: "10000mAh" }).click();
  await expect(page.getByTestId("sku-status")).toContainText("雾蓝 / 10000mAh");
  await expect(page.getByTestId("sku-status")).toContainText("15");
  await expect(page.getByTestId("product-price")).toContainText("129");
  // The switched-off combination cannot be chosen.
  await page.getByTestId("spec-option").filter({ hasText: "雾蓝" }).click();
  await page.getByTestId("spec-option").filter({ hasText: "5000mAh" }).click();
  await expect(page.locator(".spec-option-off", { hasText: "星空灰" })).toBeVisible();
  if (js) await shot(page, "shop-product-page");
});

test("the demo mall is browsable and searchable: home, a category, a storefront, search with suggestions", async ({
  page,
}, info) => {
  const js = info.project.name === "js";
  await page.goto("/mall");
  await expect(page.getByTestId("banners")).toBeVisible();
  await expect(page.getByTestId("featured").getByTestId("product-card")).not.toHaveCount(0);
  if (js) await shot(page, "shop-home");
  await page.getByTestId("category-grid").getByRole("link", { name: "数码电器" }).click();
  await expect(page).toHaveURL(/\/mall\/c\/\d+/);
  await expect(page.getByTestId("product-grid")).toContainText("降噪耳机");
  await page.getByTestId("sort-price_asc").click();
  await expect(page).toHaveURL(/sort=price_asc/);
  const first = await page.getByTestId("product-card").first().textContent();
  expect(first).toContain("钢化膜");
  if (js) await shot(page, "shop-category");

  for (const [words, expected] of [
    ["保温杯", "不锈钢保温杯"],
    ["咖啡", "挂耳咖啡"],
    ["iPhone 15 手机壳", "iPhone 15 手机壳"],
    ["暖暖生活馆", "四件套"],
  ]) {
    await page.goto(`/mall/search?q=${encodeURIComponent(words)}`);
    await expect(page.getByTestId("product-grid")).toContainText(expected);
  }
  await page.goto(`/mall/search?q=${encodeURIComponent("保温杯 火星")}`);
  await expect(page.getByTestId("no-results")).toBeVisible();
  await expect(page.getByTestId("suggested-term").first()).toHaveText("保温杯");
  if (js) await shot(page, "shop-no-results");

  await page.goto("/mall/s/geek");
  await expect(page.getByTestId("storefront")).toContainText("极客数码");
  await expect(page.getByTestId("product-grid")).toContainText("iPhone 15");
});
