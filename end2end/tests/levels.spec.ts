import { test, expect } from "@playwright/test";
import fs from "node:fs";
import { freshPhone, ownAddress, signInShopper } from "./helpers";

test.beforeEach(async ({ context }) => ownAddress(context));

test("the card's level leads to the levels page: every level, its threshold and points, and where I stand", async ({
  page,
}, testInfo) => {
  // Anyone may read the levels.
  await page.goto("/levels");
  await expect(page.getByTestId("level-rung")).toHaveCount(4);
  await expect(page.getByTestId("levels-mine")).toHaveCount(0);

  await signInShopper(page, freshPhone(), "/card");
  await page.getByTestId("level-badge").click();
  await expect(page).toHaveURL(/\/levels$/);
  const rungs = page.getByTestId("level-rung");
  await expect(rungs).toHaveText([/普卡.*注册即享.*消费积分 1 倍/, /银卡.*近 12 个月消费满 ¥5000.*1\.2 倍/, /金卡.*¥20000.*1\.5 倍/, /钻石卡.*¥50000.*2 倍/]);
  await expect(page.locator('[data-testid="level-rung"][aria-current="true"]')).toHaveAttribute("data-level", "normal");
  const mine = page.getByTestId("levels-mine");
  await expect(mine).toContainText("普卡");
  await expect(mine).toContainText("近 12 个月消费 ¥0.00");
  await expect(mine).toContainText("再消费 ¥5000.00 升级为银卡");
  if (testInfo.project.name === "js") {
    fs.mkdirSync("target/e2e/shots", { recursive: true });
    for (const height of [667, 812]) {
      await page.setViewportSize({ width: 375, height });
      await page.screenshot({ path: `target/e2e/shots/levels-375x${height}.png`, fullPage: true });
    }
  }

  // The way up on the card leads there too.
  await page.goto("/card");
  await page.getByTestId("level-progress").click();
  await expect(page).toHaveURL(/\/levels$/);
});
