import { test, expect } from "@playwright/test";
import { ownAddress, signInStaff } from "./helpers";

test.beforeEach(async ({ context }) => ownAddress(context));

for (const [who, path] of [
  ["sichuan.cashier", "/tenant/counter"],
  ["admin", "/ops/sales"],
] as const) {
  test(`${path} says it is connecting, then live; without JavaScript, that it must be refreshed`, async ({
    browser,
  }, testInfo) => {
    const js = testInfo.project.name === "js";
    const desk = await browser.newContext({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: js, locale: "zh-CN" });
    await ownAddress(desk);
    const page = await desk.newPage();
    await signInStaff(page, who);

    // The page as the server sends it, before any connection: never "disconnected".
    const html = await (await page.request.get(path)).text();
    expect(html).not.toContain("连接中断");

    await page.goto(path);
    if (js) {
      const status = page.getByTestId("feed-status");
      await expect(status).toHaveAttribute("data-state", "live");
      await expect(status).toHaveText("实时更新中");
      await expect(page.getByTestId("feed-static")).toBeHidden();
    } else {
      await expect(page.getByTestId("feed-status")).toBeHidden();
      const note = page.getByTestId("feed-static");
      await expect(note).toContainText("请刷新本页");
      await note.getByRole("link", { name: "刷新" }).click();
      await expect(page).toHaveURL(new RegExp(`${path}$`));
    }
    await expect(page.getByText("连接中断")).toHaveCount(0);
    await desk.close();
  });
}
