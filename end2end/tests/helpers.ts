import { expect, Page, BrowserContext } from "@playwright/test";

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
