import { test, expect, Page, Locator } from "@playwright/test";
import fs from "node:fs";
import { freshPhone, ownAddress, signInShopper, signInStaff } from "./helpers";

// On a phone, the one thing a paying page asks for (下一步, 支付, 充值…) must be on screen
// without scrolling, above the tab bar, and clear of the keypad.

test.beforeEach(async ({ context }) => ownAddress(context));

const screens = [
  { width: 375, height: 667 },
  { width: 375, height: 812 },
];

/** The action's box lies inside the viewport and above the tab bar, and a tap at its centre
 *  lands on it (nothing covers it). */
async function expectInReach(page: Page, action: Locator, what: string) {
  await expect(action).toBeVisible();
  const box = (await action.boundingBox())!;
  const viewport = page.viewportSize()!;
  const tabBar = page.locator(".tab-bar");
  const floor = (await tabBar.count()) ? (await tabBar.boundingBox())!.y : viewport.height;
  expect(box.y, `${what}: top on screen`).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height, `${what}: bottom above the tab bar (${floor})`).toBeLessThanOrEqual(floor + 0.5);
  const hit = await page.evaluate(
    ([x, y]) => {
      const el = document.elementFromPoint(x, y);
      return el ? (el.closest("button, a, input")?.getAttribute("data-testid") ?? el.tagName) : null;
    },
    [box.x + box.width / 2, box.y + box.height / 2],
  );
  expect(hit, `${what}: nothing covers it`).toBe(await action.getAttribute("data-testid"));
}

async function shot(page: Page, name: string) {
  fs.mkdirSync("target/e2e/shots", { recursive: true });
  const { width, height } = page.viewportSize()!;
  await page.screenshot({ path: `target/e2e/shots/${name}-${width}x${height}.png` });
}

test("the main action of each paying page is in reach on a phone", async ({ page, browser }, testInfo) => {
  const js = testInfo.project.name === "js";
  const owner = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: "zh-CN" });
  await ownAddress(owner.context());
  await signInStaff(owner, "yishang.owner");
  await owner.goto("/tenant/plates");
  const plate = new URL((await owner.getByTestId("plate-link").first().getAttribute("href"))!).pathname;
  await owner.close();

  await signInShopper(page, freshPhone(), "/card");
  for (const size of screens) {
    await page.setViewportSize(size);

    await page.goto(plate);
    const next = page.getByTestId("amount-next");
    if (js) {
      for (const key of "128") await page.getByTestId(`key-${key}`).click();
      // The keypad and the button do not touch.
      const keys = (await page.locator(".keypad").boundingBox())!;
      const button = (await next.boundingBox())!;
      expect(button.y - (keys.y + keys.height), "gap between the keypad and 下一步").toBeGreaterThanOrEqual(8);
    }
    await expectInReach(page, next, "下一步");
    await shot(page, `plate-${testInfo.project.name}`);

    await page.goto(`${plate}/pay?amount=128`);
    await expectInReach(page, page.getByTestId("pay-submit"), "支付");
    await shot(page, `pay-${testInfo.project.name}`);

    await page.goto("/balance/topup");
    await page.getByTestId("topup-amount").fill("100");
    await expectInReach(page, page.getByTestId("topup-submit"), "充值");
    await shot(page, `topup-${testInfo.project.name}`);
  }
});
