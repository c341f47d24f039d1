import { test, expect, Page, Browser } from "@playwright/test";
import fs from "node:fs";
import { freshPhone, ownAddress, signInShopper, signInStaff, choosePay } from "./helpers";

// Points spent at a till and given back read as such, and the points page says when points
// become usable and until when they can be used.

test.beforeEach(async ({ context }) => ownAddress(context));

/** An operator grants the member points (an adjustment with a reason). */
async function grantPoints(browser: Browser, phone: string, points: number) {
  const desk = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "zh-CN" });
  await ownAddress(desk);
  const ops = await desk.newPage();
  await signInStaff(ops, "ops");
  await ops.goto(`/ops/members?q=${phone}`);
  await ops.getByTestId("member-results").getByRole("link").first().click();
  const form = ops.getByTestId("adjust-points");
  await form.locator("input[name=points]").fill(String(points));
  await form.locator("input[name=reason]").fill("端到端测试赠送");
  await form.getByRole("button", { name: "确认调整" }).click();
  await expect(ops.getByTestId("saved")).toBeVisible();
  await desk.close();
}

async function platePath(browser: Browser): Promise<string> {
  const owner = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: "zh-CN" });
  await ownAddress(owner.context());
  await signInStaff(owner, "yishang.owner");
  await owner.goto("/tenant/plates");
  const href = (await owner.getByTestId("plate-link").first().getAttribute("href"))!;
  await owner.close();
  return new URL(href).pathname;
}

/** The mall's date (Asia/Shanghai) `days` from now. */
function shanghaiDate(days: number): string {
  const t = new Date(Date.now() + 8 * 3600_000 + days * 86_400_000);
  return t.toISOString().slice(0, 10);
}

async function history(page: Page) {
  await page.goto("/points");
  return page.getByTestId("points-history");
}

test("points paid at a till and given back on cancel read as such; the page shows their dates", async ({
  page,
  browser,
}, testInfo) => {
  const js = testInfo.project.name === "js";
  const phone = freshPhone();
  await signInShopper(page, phone, "/card");
  await grantPoints(browser, phone, 500);
  const plate = await platePath(browser);

  // ¥10 at the shop: half of it (500 points) in points, the rest in the sandbox — then cancelled.
  await page.goto(`${plate}/pay?amount=10`);
  await expect(page.getByTestId("bd-points")).toHaveText("-¥5.00");
  await page.getByTestId("pay-submit").click();
  await choosePay(page);
  await page.getByTestId("sandbox-cancel").click();
  await expect(page.getByTestId("pay-result")).toHaveAttribute("data-state", "closed");
  await expect(page.getByTestId("tenders-returned")).toBeVisible();

  const lines = await history(page);
  await expect(lines.locator('[data-kind="spend"]').first()).toContainText("积分抵扣付款 · 衣尚精品");
  await expect(lines.locator('[data-kind="spend"]').first()).toContainText("-500");
  const back = lines.locator('[data-kind="restore"]').first();
  await expect(back).toContainText("退回积分（付款已退款或取消） · 衣尚精品");
  await expect(back).toContainText("+500");
  await expect(lines).not.toContainText("抵扣欠分");
  await expect(lines).not.toContainText("其他");
  await expect(page.getByTestId("points-balance")).toHaveText("500");

  // A paid purchase earns pending points: the page says on which day they become usable.
  await page.goto(`${plate}/pay?amount=20`);
  if (js) {
    // The box counts once the form is alive in the browser: untick until the total follows.
    await expect(async () => {
      await page.getByTestId("use-points").uncheck();
      await expect(page.getByTestId("bd-points")).toHaveText("-¥0.00", { timeout: 1_000 });
    }).toPass();
  } else {
    await page.getByTestId("use-points").uncheck();
    await page.getByRole("button", { name: "更新金额" }).click();
    await expect(page.getByTestId("bd-points")).toHaveText("-¥0.00");
  }
  await page.getByTestId("pay-submit").click();
  await choosePay(page);
  await page.getByTestId("sandbox-confirm").click();
  await expect(page.getByTestId("pay-result")).toHaveAttribute("data-state", "paid");

  await page.goto("/points");
  const dates = page.getByTestId("points-dates");
  await expect(dates.getByTestId("points-maturing")).toHaveText(/^\d+ 积分 · \d{4}-\d\d-\d\d 生效$/);
  await expect(dates.getByTestId("points-maturing")).toContainText(shanghaiDate(7));
  const nextYear = Number(shanghaiDate(0).slice(0, 4)) + 1;
  await expect(dates.getByTestId("points-expiry")).toHaveText(`500 积分 · 有效期至 ${nextYear}-12-31`);
  if (js) {
    fs.mkdirSync("target/e2e/shots", { recursive: true });
    for (const height of [667, 812]) {
      await page.setViewportSize({ width: 375, height });
      await page.screenshot({ path: `target/e2e/shots/points-375x${height}.png`, fullPage: true });
    }
  }
});
