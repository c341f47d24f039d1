import { expect, Page, Browser } from "@playwright/test";
import { test } from "@playwright/test";
import path from "node:path";
import fs from "node:fs";
import { freshPhone, ownAddress, shanghaiMinute, signInShopper, signInStaff } from "./helpers";

// Receipt-photo points end to end, through the real OCR models: a receipt drawn in the browser
// with today's date (so it is inside the upload window) is photographed, uploaded through the
// page and read on the server; a committed fixture photo (bought early in November) is refused
// as late; a receipt from a shop that is not in the mall waits for an operator, who approves it.

const fixtures = path.resolve(__dirname, "../../ocr/fixtures/receipts");

/** A POS receipt rendered as HTML and photographed (PNG). */
async function receiptPhoto(browser: Browser, shop: string, unit: string, no: string, paid: string): Promise<Buffer> {
  const context = await browser.newContext({ viewport: { width: 420, height: 640 }, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.setContent(`<html><body style="margin:0;background:#fff">
    <div id="r" style="width:360px;padding:24px;font:20px 'Noto Sans CJK SC','Noto Serif CJK SC',sans-serif;color:#111;line-height:1.7">
      <div style="text-align:center;font-size:28px;font-weight:700">${shop}</div>
      <div>铺位：${unit}</div>
      <div>单号：${no}</div>
      <div>日期：${shanghaiMinute()}</div>
      <div>品名 数量 金额</div>
      <div>商品 x1 ${paid}</div>
      <div>合计： ￥${paid}</div>
      <div>实收： ￥${paid}</div>
      <div style="text-align:center">谢谢惠顾</div>
    </div></body></html>`);
  const png = await page.locator("#r").screenshot();
  await context.close();
  return png;
}

async function upload(page: Page, js: boolean, file: { name: string; mimeType: string; buffer: Buffer }) {
  await page.goto("/receipts");
  await expect(page.getByRole("heading", { name: "拍照积分" })).toBeVisible();
  if (js) await expect(page.locator("form.receipt-upload[data-ready]")).toBeAttached();
  await page.getByTestId("receipt-file").setInputFiles(file);
  if (js) {
    // The island starts on choosing the photo: shrinking, then the progress bar.
    await expect(page.getByText(/正在压缩照片|正在上传|识别中|已通过/).first()).toBeVisible();
  } else {
    await page.getByRole("button", { name: "上传小票" }).click();
  }
  await expect(page).toHaveURL(/\/receipts\/\d+$/, { timeout: 30_000 });
  return Number(page.url().split("/").pop());
}

test("a receipt photographed today earns points (pending); the list shows it", async ({ page, browser, context }, info) => {
  const js = info.project.name === "js";
  await ownAddress(context);
  await signInShopper(page, freshPhone(), "/receipts");
  const no = `YS${Date.now() % 100_000_000}${js ? 1 : 2}`;
  const paid = js ? "128.00" : "256.00";
  const buffer = await receiptPhoto(browser, "衣尚精品", "L1-08", no, paid);
  await upload(page, js, { name: "receipt.png", mimeType: "image/png", buffer });
  const status = page.getByTestId("receipt-status");
  // Recognising → approved, followed live (JavaScript) or by the page's own refresh.
  await expect(status).toHaveAttribute("data-status", "approved", { timeout: 45_000 });
  // The demo mall's level and campaign multipliers apply, so only the form is fixed.
  await expect(page.getByTestId("receipt-points")).toHaveText(/^\+\d+ 积分（待生效）$/);
  if (js) {
    fs.mkdirSync("target/e2e/shots", { recursive: true });
    await page.screenshot({ path: "target/e2e/shots/receipt-approved.png", fullPage: true });
  }
  await expect(status).toContainText("衣尚精品");
  await page.goto("/receipts/mine");
  const row = page.getByTestId("receipt-row").first();
  await expect(row).toContainText("衣尚精品");
  await expect(row).toContainText("已通过");
  await expect(row.locator("img")).toHaveJSProperty("complete", true);
  if (js) {
    await page.screenshot({ path: "target/e2e/shots/receipts-mine.png", fullPage: true });
    await page.goto("/receipts");
    await page.screenshot({ path: "target/e2e/shots/receipts-upload.png", fullPage: true });
  }
});

test("a committed fixture photo from early November is refused as late, in plain words", async ({ page, context }, info) => {
  const js = info.project.name === "js";
  await ownAddress(context);
  await signInShopper(page, freshPhone(), "/receipts");
  const buffer = fs.readFileSync(path.join(fixtures, "sichuan-microhei.jpg"));
  await upload(page, js, { name: "sichuan.jpg", mimeType: "image/jpeg", buffer });
  await expect(page.getByTestId("receipt-status")).toHaveAttribute("data-status", "rejected", { timeout: 45_000 });
  await expect(page.getByTestId("receipt-reason")).toContainText("超过上传期限");
  if (js) await page.screenshot({ path: "target/e2e/shots/receipt-rejected.png", fullPage: true });
});

test("a photo that is not an image is refused with the reason", async ({ page, context }, info) => {
  const js = info.project.name === "js";
  await ownAddress(context);
  await signInShopper(page, freshPhone(), "/receipts");
  await page.goto("/receipts");
  if (js) await expect(page.locator("form.receipt-upload[data-ready]")).toBeAttached();
  await page.getByTestId("receipt-file").setInputFiles({ name: "r.gif", mimeType: "image/gif", buffer: Buffer.from("GIF89a-not-a-receipt") });
  if (!js) await page.getByRole("button", { name: "上传小票" }).click();
  await expect(page.getByRole("alert")).toContainText("只支持 JPEG、PNG 或 WebP");
});

test("an unknown shop's receipt waits for review; an operator approves it with the tenant", async ({ page, browser, context }, info) => {
  const js = info.project.name === "js";
  await ownAddress(context);
  await signInShopper(page, freshPhone(), "/receipts");
  const buffer = await receiptPhoto(browser, "鲜果时间", "X9-99", `XG${Date.now() % 100_000_000}${js ? 1 : 2}`, "66.00");
  const id = await upload(page, js, { name: "unknown.png", mimeType: "image/png", buffer });
  await expect(page.getByTestId("receipt-status")).toHaveAttribute("data-status", "review", { timeout: 45_000 });
  await expect(page.getByTestId("receipt-reason")).toContainText("未能识别商户");

  const ops = await browser.newContext({ ...info.project.use, viewport: { width: 1280, height: 900 } });
  await ownAddress(ops);
  const op = await ops.newPage();
  await signInStaff(op, "ops");
  await op.goto("/ops/receipts");
  await expect(op.getByTestId("review-queue")).toBeVisible();
  await op.goto(`/ops/receipts/${id}`);
  await expect(op.getByTestId("review-photo")).toBeVisible();
  await expect(op.getByTestId("review-reasons")).toContainText("未能识别商户");
  const form = op.getByTestId("review-approve");
  await form.locator("select[name=tenant_id]").selectOption({ label: "衣尚精品 · L1-08" });
  await form.locator("input[name=note]").fill("商场外联营柜台，按衣尚计");
  await form.getByRole("button", { name: "通过并发放积分" }).click();
  await expect(op.getByTestId("review-done")).toContainText("已通过");
  await ops.close();

  await page.goto(`/receipts/${id}`);
  await expect(page.getByTestId("receipt-status")).toHaveAttribute("data-status", "approved");
  await expect(page.getByTestId("receipt-points")).toHaveText(/^\+\d+ 积分（待生效）$/);
});

test("the administrator lowers the minimum amount with a reason and sees it saved", async ({ browser }, info) => {
  const js = info.project.name === "js";
  // Below the default ¥10, so the other receipts in this run are not refused by it.
  const minimum = js ? "9.50" : "9.00";
  const ops = await browser.newContext({ ...info.project.use, viewport: { width: 1280, height: 900 } });
  await ownAddress(ops);
  const op = await ops.newPage();
  await signInStaff(op, "admin");
  await op.goto("/ops/receipts");
  await op.getByTestId("receipt-rules-link").click();
  await expect(op).toHaveURL(/\/ops\/receipts\/rules$/);
  const form = op.getByTestId("receipt-rules-form");
  await form.getByLabel("最低金额（元）").fill(minimum);
  await form.getByLabel("修改原因（写入审计）").fill("端到端测试：降低最低金额");
  await form.getByRole("button", { name: "保存" }).click();
  await expect(op.getByTestId("saved")).toBeVisible();
  await expect(op.getByTestId("rules-minimum")).toHaveText(`¥${minimum}`);
  await expect(op.getByTestId("receipt-rules-form").getByLabel("最低金额（元）")).toHaveValue(minimum);
  await ops.close();
});
