import { test, expect, Browser, BrowserContext, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { choosePay, freshPhone, ownAddress, signInShopper, signInStaff, unknownShopReceipt } from "./helpers";
import { addBySearch, post } from "./mall-helpers";

// axe-core over every page a shopper, a tenant's staff (owner, cashier, kitchen, fulfilment) and
// a mall operator can reach (issue 10, item 5): no serious or critical violation of WCAG 2 A/AA.
// Each test walks one part of the demo mall with real records — a paid mall order collected and
// reviewable, a scan-to-order order and its kitchen ticket, a membership bought in the sandbox, a
// receipt photo waiting for review — and audits each page on the way. A failure lists each page's
// rules with the elements that break them.

/** The pages audited in this run and what axe-core found, one line per rule and page. */
class Audit {
  readonly found: string[] = [];
  constructor(readonly page: Page) {}

  /** Opens `path` (or stays on the current page) and audits it. */
  async check(path?: string) {
    if (path) {
      // English words are longer: a page opened by its address is measured in English first.
      await this.language("en");
      await this.page.goto(path);
      await this.page.waitForLoadState("load");
      await this.fits(path, "en");
      await this.language("zh-CN");
      await this.page.goto(path);
    }
    await this.page.waitForLoadState("load");
    const where = path ?? new URL(this.page.url()).pathname;
    const result = await new AxeBuilder({ page: this.page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      // axe.run in the page itself rather than per frame and a blank page to merge the frames'
      // results: the pages have no frames, and this halves the time per page.
      .setLegacyMode(true)
      // Only violations are read: axe-core then skips collecting every passing node.
      .options({ resultTypes: ["violations"] })
      .analyze();
    await this.fits(where, "zh");
    for (const v of result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
      const nodes = v.nodes.map((n) => n.target.join(" ")).slice(0, 4).join(" | ");
      this.found.push(`${where}: ${v.id} (${v.impact}) ${nodes}`);
    }
  }

  /** The page fits its screen: nothing pushes it wider than the phone (375 px) or the desk,
   *  which would leave the reader scrolling sideways (WCAG 1.4.10, reflow). */
  async fits(where: string, lang: string) {
    const screen = this.page.viewportSize()!.width;
    const width = await this.page.evaluate(() => document.documentElement.scrollWidth);
    if (width > screen) this.found.push(`${where} (${lang}): page ${width} px wide on a ${screen} px screen`);
  }

  async language(lang: string) {
    const url = test.info().project.use.baseURL!;
    await this.page.context().addCookies([{ name: "plaza_lang", value: lang, url }]);
  }

  async checkAll(paths: string[]) {
    for (const p of paths) await this.check(p);
  }

  /** The first link on the current page whose path (and query) matches `pattern`. */
  async link(pattern: RegExp): Promise<string> {
    const hrefs = await this.page
      .locator("a[href]")
      .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname + (a as HTMLAnchorElement).search));
    const href = hrefs.find((h) => pattern.test(h));
    expect(href, `a link like ${pattern} on ${this.page.url()}`).toBeTruthy();
    return href!;
  }
}

/** The browser contexts this test opened, closed after it. */
const opened: BrowserContext[] = [];

/** A new browser context: the shopper's phone, or a console's desktop screen. */
async function newPage(browser: Browser, kind: "phone" | "desk"): Promise<Page> {
  const options = kind === "desk" ? { viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false } : {};
  const context = await browser.newContext({ ...test.info().project.use, ...options });
  opened.push(context);
  await ownAddress(context);
  return context.newPage();
}

async function staff(browser: Browser, username: string): Promise<Audit> {
  const page = await newPage(browser, "desk");
  await signInStaff(page, username);
  await expect(page).toHaveURL(/\/(tenant|ops)/);
  return new Audit(page);
}

async function shopper(browser: Browser, phone = freshPhone(), next = "/card"): Promise<Audit> {
  const page = await newPage(browser, "phone");
  await signInShopper(page, phone, next);
  return new Audit(page);
}

function expectNone(...audits: Audit[]) {
  const found = audits.flatMap((a) => a.found);
  expect(found, found.join("\n")).toEqual([]);
}

// axe-core runs inside the page, so only where JavaScript runs; the server-rendered HTML it reads
// is the same in both projects.
test.beforeEach(({}, testInfo) => test.skip(testInfo.project.name === "nojs", "axe-core runs inside the page"));
test.afterEach(async () => {
  for (const context of opened.splice(0)) await context.close();
});
// The tests share nothing: both workers take them.
test.describe.configure({ mode: "parallel" });

test("pages anyone can open, signed out", async ({ browser }) => {
  test.setTimeout(180_000);
  const a = new Audit(await newPage(browser, "phone"));
  await a.checkAll(["/", "/login", "/staff/login", "/shop", "/mall"]);
  const category = await a.link(/^\/mall\/c\/\d+$/);
  await a.check(category);
  const product = await a.link(/^\/mall\/p\/\d+$/);
  await a.checkAll([product, `${product}/reviews`, "/mall/s/homegoods"]);
  await a.check(`/mall/search?q=${encodeURIComponent("保温杯")}`);
  await a.check(`${await a.link(/^\/mall\/p\/\d+$/)}/reviews`);
  await a.checkAll([
    `/mall/search?q=${encodeURIComponent("保温杯 火星")}`,
    "/pickup/dessert",
    "/t/nosuchcode",
    "/no-such-page",
  ]);
  expectNone(a);
});

test("a shopper's own pages, a membership bought in the sandbox and its sub-card invitation", async ({ browser }) => {
  test.setTimeout(180_000);
  const a = await shopper(browser);
  await a.checkAll([
    "/card",
    "/levels",
    "/scan",
    "/me",
    "/points",
    "/coupons",
    "/coupons/claim",
    "/rewards",
    "/rewards/mine",
    "/balance",
    "/balance/topup",
    "/receipts",
    "/receipts/mine",
    "/dining/orders",
    "/mall/orders",
    "/mall/reviews",
    "/mall/cart",
    "/invite",
  ]);
  await a.check(await a.link(/^\/i\/\w+$/));
  // 个人会员卡 through the provider's chooser and sandbox page to the result.
  await a.check("/membership");
  await a.page.getByTestId("tier").filter({ hasText: "个人会员卡" }).getByTestId("tier-buy").click();
  await expect(a.page).toHaveURL(/\/pay\/go\/\w+$/);
  await a.check();
  await choosePay(a.page);
  await expect(a.page).toHaveURL(/\/sandbox\/pay\/\w+(\?|$)/);
  await a.check();
  await a.page.getByTestId("sandbox-confirm").click();
  await expect(a.page).toHaveURL(/\/pay\/result\/\w+$/);
  await expect(a.page.getByTestId("pay-result")).toHaveAttribute("data-state", "paid");
  await a.check();
  await a.checkAll(["/me/payments", "/membership"]);
  await a.page.getByTestId("sub-invite-create").click();
  await expect(a.page.getByTestId("sub-link")).toBeVisible();
  await a.check();
  await a.check(new URL((await a.page.getByTestId("sub-link").getAttribute("href"))!).pathname);
  expectNone(a);
});

test("the online mall bought, collected and reviewed; the storefront's console", async ({ browser }) => {
  test.setTimeout(180_000);
  const a = await shopper(browser, freshPhone(), "/mall");
  const { tenant } = await addBySearch(a.page, "保温杯");
  await post(a.page, "/api/mall/address/add", { name: "王小明", phone: "13800138000", address: "上海市浦东新区世纪大道 100 号 8 楼" });
  await a.checkAll(["/mall/cart", "/mall/checkout"]);
  const payment = await post(a.page, "/api/mall/order/place", {
    request_key: `axe-${Date.now()}-${Math.random()}`,
    [`fulfil[${tenant}]`]: "pickup",
  });
  await a.page.goto(`/sandbox/pay/${payment}`);
  await a.page.getByTestId("sandbox-confirm").click();
  await expect(a.page).toHaveURL(/\/pay\/result\//);
  const order = `${payment}-1`;

  // 家物集's fulfilment desk takes the order; the shopper's page shows the pickup code.
  const desk = await staff(browser, "homegoods.fulfilment");
  await desk.checkAll(["/tenant", "/tenant/products", "/tenant/orders", `/tenant/orders/${order}`]);
  await post(desk.page, "/api/tenant/mall/order/accept", { tenant: String(tenant), order_no: order });
  await a.check(`/mall/order/${order}`);
  const code = (await a.page.getByTestId("pickup-code").textContent())!.trim();
  await post(desk.page, "/api/tenant/mall/order/hand-over", { tenant: String(tenant), code });
  await desk.check(`/tenant/orders/${order}`);
  await a.checkAll(["/mall/orders", `/mall/order/${order}`, `/mall/order/${order}/aftersales`, "/mall/reviews"]);
  await a.check(await a.link(/^\/mall\/reviews\/\d+$/));

  // The owner's own pages: a product, a new one, an import and its report, reviews, the
  // storefront's profile and promotions (the till, plates and reports: the plate shop's test).
  const owner = await staff(browser, "homegoods.owner");
  await owner.check("/tenant");
  await owner.page.goto("/tenant/products");
  await owner.checkAll([await owner.link(/^\/tenant\/products\/\d+$/), "/tenant/products/new", "/tenant/products/import"]);
  const header = (await (await owner.page.request.get("/tenant/shop/export.csv")).text()).split("\n")[0];
  await owner.page.getByTestId("import-file").setInputFiles({ name: "empty.csv", mimeType: "text/csv", buffer: Buffer.from(`${header}\n`) });
  await owner.page.getByTestId("import-send").click();
  await expect(owner.page).toHaveURL(/\/tenant\/products\/import\/\d+$/);
  await owner.check();
  await owner.checkAll([
    "/tenant/products/reviews",
    "/tenant/products/storefront",
    "/tenant/promotions",
    // A section of another kind of shop, opened by address: told plainly it is not for them.
    "/tenant/kitchen",
  ]);
  expectNone(a, desk, owner);
});

test("scan-to-order at a food-court table, the kitchen's ticket and the restaurant's console", async ({ browser }) => {
  test.setTimeout(180_000);
  const owner = await staff(browser, "noodle.owner");
  await owner.check("/tenant/tables");
  const table = (await owner.page.locator('[data-testid="admin-table"][data-label="19"]').first().getAttribute("data-code"))!;
  expect(table).toMatch(/^[0-9a-z]{10}$/);
  await owner.check(await owner.link(/^\/tenant\/tables\/\d+\/print$/));

  // The shopper at table 19 chooses 面馆, a dish, orders and pays.
  const a = await shopper(browser, freshPhone(), `/t/${table}`);
  await a.check();
  const menu = await a.link(new RegExp(`^/t/${table}/noodle$`));
  await a.check(menu);
  await a.check(await a.link(new RegExp(`^/t/${table}/noodle/dish/\\d+$`)));
  await a.page.goto(menu);
  await a.page.getByTestId("quick-add").first().click();
  await expect(a.page.getByTestId("cart-count")).toHaveText("1");
  await a.check(`${menu}/cart`);
  await a.page.getByTestId("place-order").click();
  await choosePay(a.page);
  await a.page.getByTestId("sandbox-confirm").click();
  await expect(a.page).toHaveURL(/\/dining\/order\/\w+$/);
  const no = a.page.url().split("/").pop()!;
  await a.check();
  await a.check("/dining/orders");

  // The kitchen prints the order's ticket.
  const kitchen = await staff(browser, "noodle.kitchen");
  await kitchen.checkAll(["/tenant", "/tenant/kitchen"]);
  const print = kitchen.page.locator(`[data-testid="kitchen-card"][data-no="${no}"] form[action="/api/tenant/kitchen/print"]`);
  await expect(print).toBeAttached();
  const reply = await kitchen.page.request.post("/api/tenant/kitchen/print", {
    form: {
      tenant: await print.locator('input[name="tenant"]').inputValue(),
      order: await print.locator('input[name="order"]').inputValue(),
    },
    maxRedirects: 0,
  });
  const ticket = reply.headers()["location"];
  expect(ticket, await reply.text()).toMatch(/^\/tenant\/kitchen\/ticket\/\d+\/\d+$/);
  await kitchen.check(ticket);

  await owner.checkAll(["/tenant", "/tenant/kitchen", "/tenant/dining-orders", "/tenant/menu", "/tenant/menu/dish/new"]);
  await owner.page.goto("/tenant/menu");
  await owner.check(await owner.link(/^\/tenant\/menu\/dish\/\d+$/));
  expectNone(owner, a, kitchen);
});

test("a plate shop's owner and cashier, and a shopper paying at its plate", async ({ browser }) => {
  test.setTimeout(180_000);
  const owner = await staff(browser, "yishang.owner");
  await owner.checkAll(["/tenant", "/tenant/cashier", "/tenant/counter", "/tenant/plates"]);
  const plate = await owner.link(/^\/p\/\w+$/);
  await owner.check(await owner.link(/^\/tenant\/plates\/\d+\/print$/));
  await owner.check("/tenant/reports");
  const cashier = await staff(browser, "yishang.cashier");
  await cashier.checkAll(["/tenant/cashier", "/tenant/plates"]);
  const a = await shopper(browser);
  await a.checkAll([plate, `${plate}/pay?amount=10`]);
  expectNone(owner, cashier, a);
});

test("the mall operator's console", async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await staff(browser, "admin");
  await admin.checkAll(["/ops", "/ops/sales", "/ops/tenants"]);
  const plates = await admin.link(/^\/ops\/tenants\/\d+\/plates$/);
  await admin.check(await admin.link(/^\/ops\/tenants\/\d+\/reports$/));
  await admin.check(plates);
  await admin.check(await admin.link(/^\/ops\/tenants\/\d+\/plates\/\d+\/print$/));
  await admin.check("/ops/dining");
  await admin.check(await admin.link(/^\/ops\/dining\/\d+\/print$/));
  await admin.checkAll([
    "/ops/shop",
    "/ops/shop/categories",
    "/ops/shop/products",
    "/ops/shop/reviews",
    "/ops/shop/promotions",
    "/ops/members",
  ]);
  await admin.check(await admin.link(/^\/ops\/members\/\d+$/));
  await admin.checkAll([
    "/ops/points",
    "/ops/coupons",
    "/ops/rewards",
    "/ops/stored-value",
    "/ops/anomalies",
    "/ops/audit",
    "/ops/reconcile",
    "/ops/membership",
    "/ops/receipts",
    "/ops/receipts/rules",
    "/ops/aftersales",
    // A menu entry still to come.
    "/ops/campaigns",
  ]);
  const marketing = await staff(browser, "ops");
  await marketing.check("/ops");
  expectNone(admin, marketing);
});

test("a receipt photo waiting for review, for the shopper and the operator", async ({ browser }) => {
  test.setTimeout(180_000);
  const a = await shopper(browser, freshPhone(), "/receipts");
  await expect(a.page.locator("form.receipt-upload[data-ready]")).toBeAttached();
  const buffer = await unknownShopReceipt(browser, `XG${Date.now() % 100_000_000}7`);
  await a.page.getByTestId("receipt-file").setInputFiles({ name: "receipt.png", mimeType: "image/png", buffer });
  await expect(a.page).toHaveURL(/\/receipts\/\d+$/, { timeout: 30_000 });
  const id = a.page.url().split("/").pop()!;
  await expect(a.page.getByTestId("receipt-status")).toHaveAttribute("data-status", "review", { timeout: 45_000 });
  await a.check();
  const admin = await staff(browser, "admin");
  await admin.check(`/ops/receipts/${id}`);
  expectNone(a, admin);
});
