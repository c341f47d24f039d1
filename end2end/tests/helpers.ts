import { expect, Browser, Page, BrowserContext } from "@playwright/test";

let counter = 0;

/** A mobile number nobody has used yet in this run. */
export function freshPhone(): string {
  counter += 1;
  const tail = `${Date.now() % 1_000_000}`.padStart(6, "0") + `${process.pid % 10}${counter % 10}`;
  return `137${tail.slice(-8)}`;
}

/** Each test acts from its own client address, as it would behind the mall's proxy. */
export async function ownAddress(context: BrowserContext) {
  const n = () => Math.floor(Math.random() * 250) + 1;
  await context.setExtraHTTPHeaders({ "X-Forwarded-For": `10.${n()}.${n()}.${n()}` });
}

/** Signs a shopper in with the code the development SMS outbox shows on screen. */
export async function signInShopper(page: Page, phone: string, next = "/card") {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("手机号").fill(phone);
  await page.getByRole("button", { name: "获取验证码" }).click();
  const devCode = page.getByTestId("dev-code");
  await expect(devCode).toBeVisible();
  const code = (await devCode.locator("strong").textContent())!.trim();
  expect(code).toMatch(/^\d{6}$/);
  await page.getByLabel("验证码").fill(code);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${next.replace("/", "\\/")}$`));
}

export async function signInStaff(page: Page, username: string, password = "plaza2026") {
  await page.goto("/staff/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录", exact: true }).click();
}

/** The member code currently on the card page, as digits. */
export async function memberCode(page: Page): Promise<string> {
  const code = page.getByTestId("member-code");
  await expect(code).toBeVisible();
  const digits = await code.getAttribute("data-code");
  expect(digits).toMatch(/^8\d{31}$/);
  return digits!;
}

/** 选择支付方式: where the sandbox offers both WeChat Pay and Alipay, a phone browser is asked
 * first; picks `method` and goes on to that provider's page. */
export async function choosePay(page: Page, method: "wechat" | "alipay" = "wechat") {
  await expect(page).toHaveURL(/\/pay\/go\/\w+$/);
  await page.getByTestId(`pay-method-${method}`).click();
  await page.getByTestId("pay-method-go").click();
}

/** Now in the mall's time zone, minus a few minutes, as a receipt prints it. */
export function shanghaiMinute(): string {
  const t = new Date(Date.now() + 8 * 3600_000 - 5 * 60_000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}`;
}

/** A receipt from a shop that is not in the mall (receipt number `no`), photographed: it goes to review. */
export async function unknownShopReceipt(browser: Browser, no: string): Promise<Buffer> {
  const context = await browser.newContext({ viewport: { width: 420, height: 640 }, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.setContent(`<html><body style="margin:0;background:#fff">
    <div id="r" style="width:360px;padding:24px;font:20px 'Noto Sans CJK SC',sans-serif;color:#111;line-height:1.7">
      <div style="text-align:center;font-size:28px;font-weight:700">鲜果时间</div>
      <div>铺位：X9-99</div><div>单号：${no}</div><div>日期：${shanghaiMinute()}</div>
      <div>商品 x1 88.00</div><div>合计： ￥88.00</div><div>实收： ￥88.00</div>
    </div></body></html>`);
  const png = await page.locator("#r").screenshot();
  await context.close();
  return png;
}
