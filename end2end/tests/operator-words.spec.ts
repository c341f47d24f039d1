import { test, expect, Page, Browser } from "@playwright/test";
import fs from "node:fs";
import { freshPhone, ownAddress, signInShopper, signInStaff, unknownShopReceipt } from "./helpers";

// What the operator reads, on a 1280 px desk: every audit action, amount and reason in words,
// nothing wider than the screen; the receipt review and rules pages in one language.

test.beforeEach(async ({ context }) => ownAddress(context));

async function desk(browser: Browser, js: boolean, who: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: js, locale: "zh-CN" });
  await ownAddress(context);
  const page = await context.newPage();
  await signInStaff(page, who);
  return page;
}

/** The page is no wider than the desk, and the header's switch and sign-out are on screen. */
async function fitsTheDesk(page: Page, what: string) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `${what}: page width`).toBeLessThanOrEqual(1280);
  for (const control of [page.locator(".console-header .lang-switch button"), page.locator(".console-header form").last()]) {
    const box = (await control.boundingBox())!;
    expect(box.x + box.width, `${what}: header control in view`).toBeLessThanOrEqual(1280);
  }
}

/** No audit row shows a raw action key, a bare number as an amount, or a raw reason code. */
async function everyRowInWords(page: Page) {
  const rows = await page.getByTestId("audit-lines").locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent!.trim())),
  );
  expect(rows.length).toBeGreaterThan(0);
  const head = await page.getByTestId("audit-lines").locator("thead th").allTextContents();
  const col = (name: string) => head.findIndex((h) => h.trim() === name);
  const [action, amount, reason] = [col("操作"), col("数额"), col("原因")];
  expect(Math.min(action, amount, reason)).toBeGreaterThanOrEqual(0);
  for (const cells of rows) {
    expect(cells[action], `action of ${cells.join(" | ")}`).not.toMatch(/^[a-z_]+(\.[a-z_]+)+$/);
    expect(cells[amount], `amount of ${cells.join(" | ")}`).toMatch(/^$|^-?¥\d+\.\d\d$|^-?\d+ 积分$|^\d+%$|^每 ¥1/);
    expect(cells[reason], `reason of ${cells.join(" | ")}`).not.toMatch(/^[a-z_]+(=\d+)?(,[a-z_]+)*$/);
  }
}

test("the audit log and a member's profile read in words and fit 1280 px; the receipt review too", async ({
  page,
  browser,
}, testInfo) => {
  const js = testInfo.project.name === "js";
  const phone = freshPhone();
  await signInShopper(page, phone, "/receipts");

  // A receipt the OCR cannot place goes to review; an operator rejects it with a reason.
  const png = await unknownShopReceipt(browser, `XG${Date.now() % 100_000_000}${js ? 3 : 4}`);
  await page.getByTestId("receipt-file").setInputFiles({ name: "r.png", mimeType: "image/png", buffer: png });
  if (!js) await page.getByRole("button", { name: "上传小票" }).click();
  await expect(page).toHaveURL(/\/receipts\/\d+$/, { timeout: 30_000 });
  const id = page.url().split("/").pop();
  await expect(page.getByTestId("receipt-status")).toHaveAttribute("data-status", "review", { timeout: 45_000 });

  const ops = await desk(browser, js, "admin");
  await ops.goto(`/ops/receipts/${id}`);
  await expect(ops.getByText("小票所印商户")).toBeVisible();
  await expect(ops.getByText("匹配的商户")).toBeVisible();
  await expect(ops.getByTestId("amount-check")).not.toHaveText(/consistent|unchecked|missing/);
  const approve = (await ops.getByTestId("review-approve").getByRole("button", { name: "通过并发放积分" }).boundingBox())!;
  const reject = (await ops.getByTestId("review-reject").boundingBox())!;
  expect(reject.y - (approve.y + approve.height), "the approve button clear of the reject section").toBeGreaterThanOrEqual(16);
  await fitsTheDesk(ops, "receipt review");
  if (js) {
    fs.mkdirSync("target/e2e/shots", { recursive: true });
    await ops.screenshot({ path: "target/e2e/shots/ops-receipt-review-1280x800.png", fullPage: true });
  }
  await ops.getByTestId("review-reject").locator("input[name=reason]").fill("不是本商场的小票");
  await ops.getByTestId("review-reject").getByRole("button", { name: "拒绝" }).click();
  await expect(ops.getByTestId("review-done")).toContainText("已拒绝");

  // The rules say the same thing in the summary and in the help.
  await ops.goto("/ops/receipts/rules");
  await expect(ops.getByTestId("rules-window")).toHaveText("至消费次日结束（24:00）");

  // The audit log: the receipt's automatic decision and the rejection, among everything else.
  await ops.goto("/ops/audit");
  await expect(ops.getByTestId("audit-lines")).toContainText("小票转人工审核");
  await expect(ops.getByTestId("audit-lines")).toContainText("人工拒绝小票");
  await expect(ops.getByTestId("audit-lines")).toContainText("不是本商场的小票");
  await everyRowInWords(ops);
  await fitsTheDesk(ops, "audit log");
  if (js) await ops.screenshot({ path: "target/e2e/shots/ops-audit-1280x800.png" });

  // The member's profile.
  await ops.goto(`/ops/members?q=${phone}`);
  await ops.getByTestId("member-results").getByRole("link").first().click();
  await expect(ops).toHaveURL(/\/ops\/members\/\d+$/);
  await fitsTheDesk(ops, "member profile");
  if (js) await ops.screenshot({ path: "target/e2e/shots/ops-member-1280x800.png", fullPage: true });

  // In English, the same pages are English throughout.
  await ops.goto(`/ops/receipts/${id}`);
  await ops.getByRole("button", { name: "English" }).click();
  await expect(ops.getByText("Shop as printed")).toBeVisible();
  await expect(ops.getByTestId("amount-check")).not.toHaveText(/[\u4e00-\u9fff]/);
  await ops.goto("/ops/audit");
  await expect(ops.getByTestId("audit-lines")).toContainText("Receipt sent to review");
  await ops.getByRole("button", { name: "中文" }).click();
  await ops.context().close();
});
