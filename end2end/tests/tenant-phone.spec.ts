import { test, expect, Page } from "@playwright/test";
import fs from "node:fs";
import { ownAddress, signInStaff } from "./helpers";

// The tenant console on a 375 px phone: nothing wider than the screen, every section of the
// menu in view, and each role sees only the sections it may open.

test.beforeEach(async ({ context }) => ownAddress(context));

async function fitsThePhone(page: Page, what: string) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${what}: page width`).toBeLessThanOrEqual(375);
  for (const link of await page.locator(".console-side nav a:visible").all()) {
    const box = (await link.boundingBox())!;
    expect(box.x + box.width, `${what}: menu entry "${await link.textContent()}" in view`).toBeLessThanOrEqual(375);
  }
}

async function menu(page: Page): Promise<string[]> {
  return (await page.locator(".console-side nav a:visible").allTextContents()).map((s) => s.trim());
}

for (const [who, sections, refused] of [
  // Each kind of tenant sees its own sections: a boutique has no kitchen, a restaurant no
  // online orders, a storefront no menu.
  ["yishang.owner", ["门店概览", "会员识别", "收款台", "收款码牌", "报表与结算"], ["/tenant/kitchen", "/tenant/products"]],
  [
    "sichuan.owner",
    ["门店概览", "会员识别", "收款台", "收款码牌", "点餐与后厨", "点餐订单", "菜单管理", "桌台桌码", "报表与结算"],
    ["/tenant/orders", "/tenant/promotions"],
  ],
  [
    "geek.owner",
    ["门店概览", "会员识别", "收款台", "收款码牌", "商品", "订单履约", "促销", "报表与结算"],
    ["/tenant/menu"],
  ],
  ["yishang.cashier", ["门店概览", "会员识别", "收款台", "收款码牌"], []],
  ["sichuan.cashier", ["门店概览", "会员识别", "收款台", "收款码牌", "点餐订单"], []],
  ["sichuan.kitchen", ["门店概览", "点餐与后厨"], ["/tenant/cashier", "/tenant/counter", "/tenant/plates"]],
] as const) {
  test(`${who} on a phone: the console fits and shows only its sections`, async ({ browser }, testInfo) => {
    const js = testInfo.project.name === "js";
    const context = await browser.newContext({
      viewport: { width: 375, height: 667 },
      isMobile: true,
      hasTouch: true,
      javaScriptEnabled: js,
      locale: "zh-CN",
    });
    await ownAddress(context);
    const page = await context.newPage();
    await signInStaff(page, who);
    await expect(page).toHaveURL(/\/tenant(\/cashier)?$/);
    await page.goto("/tenant");
    expect(await menu(page)).toEqual(sections);
    const hrefs = await page.locator(".console-side nav a:visible").evaluateAll((links) =>
      links.map((a) => new URL((a as HTMLAnchorElement).href).pathname),
    );
    for (const href of hrefs) {
      await page.goto(href);
      await fitsThePhone(page, href);
      await expect(page.getByText("当前账号无权进行此操作")).toHaveCount(0);
      if (js) {
        fs.mkdirSync("target/e2e/shots", { recursive: true });
        const name = `${who}${href.replaceAll("/", "-")}`;
        await page.screenshot({ path: `target/e2e/shots/${name}-375x667.png`, fullPage: true });
      }
    }
    if (hrefs.includes("/tenant/plates")) {
      await page.goto("/tenant/plates");
      const row = page.getByTestId("plate-row").first();
      for (const part of [row.getByTestId("plate-state"), row.getByRole("link", { name: "打印" })]) {
        const box = (await part.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(375);
      }
      if (who === "yishang.owner") {
        const box = (await row.getByRole("button", { name: "停用" }).boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(375);
      }
    }
    // Opened by address, another role's section says so and loads nothing of it.
    for (const path of refused) {
      await page.goto(path);
      await expect(page.getByTestId("not-for-role")).toContainText("当前账号无权进行此操作");
      await fitsThePhone(page, path);
    }
    await context.close();
  });
}
