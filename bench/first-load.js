// Loads the member-card page once in Debian's Chromium (phone viewport, empty cache) and prints
// the bytes that crossed the wire for every request, as "<total> B in <n> requests (<largest>)".
const { chromium } = require("@playwright/test");

(async () => {
  const [base, token] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
  await context.addCookies([{ name: "plaza_session", value: token, url: base }]);
  const page = await context.newPage();
  const requests = [];
  page.on("requestfinished", (request) => requests.push(request));
  await page.goto(`${base}/card`, { waitUntil: "networkidle" });
  let total = 0;
  const parts = [];
  for (const request of requests) {
    const sizes = await request.sizes();
    const bytes = sizes.responseBodySize + sizes.responseHeadersSize;
    total += bytes;
    parts.push([bytes, new URL(request.url()).pathname]);
  }
  parts.sort((a, b) => b[0] - a[0]);
  const top = parts.slice(0, 3).map(([b, p]) => `${p} ${b}`).join(", ");
  console.log(`${total} B in ${requests.length} requests (${top})`);
  await browser.close();
})();
