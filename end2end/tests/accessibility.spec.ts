import { test, expect, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { freshPhone, ownAddress, signInShopper, signInStaff } from "./helpers";

// axe-core over the shopper's and the consoles' pages (issue 10, item 5): no serious or critical
// violation of WCAG 2 A/AA. A failure lists each rule with the elements that break it.
async function audit(page: Page, path: string) {
  await page.goto(path);
  await page.waitForLoadState("load");
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${path}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).slice(0, 4).join(" | ")}`);
}

// axe-core runs inside the page, so only where JavaScript runs; the server-rendered HTML it reads
// is the same in both projects.
test.beforeEach(({}, testInfo) => test.skip(testInfo.project.name === "nojs", "axe-core runs inside the page"));

test("shopper pages have no serious accessibility violation", async ({ page, context }) => {
  test.setTimeout(180_000);
  await ownAddress(context);
  const found: string[] = [];
  for (const path of ["/", "/login", "/mall"]) found.push(...(await audit(page, path)));
  await signInShopper(page, freshPhone());
  for (const path of ["/card", "/points", "/coupons", "/balance", "/levels", "/me", "/receipts", "/rewards", "/membership"]) {
    found.push(...(await audit(page, path)));
  }
  expect(found, found.join("\n")).toEqual([]);
});

test("console pages have no serious accessibility violation", async ({ page, context }) => {
  test.setTimeout(180_000);
  await ownAddress(context);
  const found: string[] = [];
  await signInStaff(page, "admin");
  await expect(page).toHaveURL(/\/ops/);
  for (const path of ["/ops", "/ops/members", "/ops/points", "/ops/coupons", "/ops/audit", "/ops/receipts"]) {
    found.push(...(await audit(page, path)));
  }
  expect(found, found.join("\n")).toEqual([]);
});
