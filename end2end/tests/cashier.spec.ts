import { test, expect, chromium } from "@playwright/test";
import path from "node:path";
import os from "node:os";
import { freshPhone, ownAddress, signInShopper, signInStaff, memberCode } from "./helpers";
import { writeQrVideo } from "./fake-camera";
import { baseURL, chromiumArgs } from "../playwright.config";

test.beforeEach(async ({ context }) => ownAddress(context));

test("a cashier identifies the shopper from the card's code", async ({ page, browser }) => {
  const phone = freshPhone();
  await signInShopper(page, phone);
  const code = await memberCode(page);

  const cashier = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await ownAddress(cashier);
  const till = await cashier.newPage();
  await signInStaff(till, "yishang.cashier");
  await expect(till).toHaveURL(/\/tenant\/cashier$/);
  await till.getByTestId("code-input").fill(code);
  await till.getByRole("button", { name: "识别会员" }).click();
  const found = till.getByTestId("member-found");
  await expect(found).toBeVisible();
  // The code was posted: the address carries a check, never the code.
  await expect(till).toHaveURL(/\/tenant\/cashier\?check=[\w-]+$/);
  expect(till.url()).not.toContain(code);
  await expect(till.getByTestId("member-phone")).toHaveText(`${phone.slice(0, 3)}****${phone.slice(7)}`);
  await expect(found).toContainText("普卡");

  // An altered code (another member id, same signature) is refused with a reason.
  const altered = code.slice(0, 1) + "0000000001" + code.slice(11);
  await till.getByTestId("code-input").fill(altered);
  await till.getByRole("button", { name: "识别会员" }).click();
  await expect(till.getByRole("alert")).toHaveText("无效的会员码，请重新扫描");
  await cashier.close();
});

test("tenant staff of another role, and shoppers, cannot use the cashier page", async ({ page }) => {
  await signInStaff(page, "sichuan.kitchen");
  await expect(page).toHaveURL(/\/tenant$/);
  await page.goto("/tenant/cashier");
  await expect(page.getByRole("alert")).toHaveText("当前账号无权进行此操作");
  await expect(page.getByTestId("code-input")).toHaveCount(0);
});

test("the camera path: the cashier scans the code with the phone camera", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name === "nojs", "the camera needs JavaScript");
  await signInShopper(page, freshPhone());
  const code = await memberCode(page);
  const video = path.join(os.tmpdir(), `plaza-member-code-${process.pid}-${Date.now()}.y4m`);
  writeQrVideo(code, video);

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      ...chromiumArgs,
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
      `--use-file-for-fake-video-capture=${video}`,
    ],
  });
  try {
    const context = await browser.newContext({ baseURL, viewport: { width: 375, height: 812 } });
    await ownAddress(context);
    const till = await context.newPage();
    await signInStaff(till, "yishang.cashier");
    await expect(till).toHaveURL(/\/tenant\/cashier$/);
    await expect(till.getByTestId("start-camera")).toBeEnabled();
    await till.getByTestId("start-camera").click();
    await expect(till.getByTestId("member-found")).toBeVisible({ timeout: 20_000 });
    await expect(till).toHaveURL(/\/tenant\/cashier\?check=[\w-]+$/);
    expect(till.url()).not.toContain(code);
  } finally {
    await browser.close();
  }
});
