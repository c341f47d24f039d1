import { test, expect } from "@playwright/test";
import { freshPhone, ownAddress, signInShopper, signInStaff } from "./helpers";

test.beforeEach(async ({ context }) => ownAddress(context));

test("an operator finds a member, adjusts points with a reason, and sees it in the audit log", async ({ page, browser }) => {
  const phone = freshPhone();
  const reason = `投诉补偿 ${phone.slice(7)}`;
  await signInShopper(page, phone, "/card");

  const desk = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await ownAddress(desk);
  const ops = await desk.newPage();
  await signInStaff(ops, "ops");
  await expect(ops).toHaveURL(/\/ops$/);
  await ops.goto("/ops/members");
  await ops.getByTestId("member-search").fill(phone);
  await ops.getByTestId("member-search").press("Enter");
  const results = ops.getByTestId("member-results");
  const masked = `${phone.slice(0, 3)}****${phone.slice(7)}`;
  await expect(results).toContainText(masked);
  await expect(results).not.toContainText(phone);
  await results.getByRole("link").first().click();
  await expect(ops).toHaveURL(/\/ops\/members\/\d+$/);

  const form = ops.getByTestId("adjust-points");
  await form.locator("input[name=points]").fill("88");
  await form.locator("input[name=reason]").fill(reason);
  await form.getByRole("button", { name: "确认调整" }).click();
  await expect(ops.getByTestId("saved")).toBeVisible();
  await expect(ops.getByTestId("member-balances")).toContainText("88");

  await ops.goto("/ops/audit");
  await expect(ops.getByTestId("chain")).toContainText("审计链完好");
  const row = ops.locator("tr", { hasText: reason });
  await expect(row).toContainText("ops");
  await expect(row).toContainText("88");
  await desk.close();

  // The member sees the adjustment in their own history.
  await page.goto("/points");
  await expect(page.getByTestId("points-balance")).toHaveText("88");
  await expect(page.getByTestId("points-history")).toContainText("人工调整 · 客服调整");
});
