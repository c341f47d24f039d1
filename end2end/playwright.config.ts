import { defineConfig, devices } from "@playwright/test";
import path from "node:path";

// Debian's Chromium (Playwright's own browser download is unreachable here), a 375×812 phone,
// and every test twice: with JavaScript (hydrated pages) and without (server-rendered forms).
const root = path.resolve(__dirname, "..");
export const port = Number(process.env.PLAZA_E2E_PORT ?? 3100);
export const baseURL = `http://127.0.0.1:${port}`;
export const chromiumArgs = [
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const phone = {
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  userAgent: devices["Pixel 5"].userAgent,
  locale: "zh-CN",
};

export default defineConfig({
  testDir: "./tests",
  outputDir: "./test-results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    launchOptions: { executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: chromiumArgs },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "js", use: { ...phone, javaScriptEnabled: true } },
    { name: "nojs", use: { ...phone, javaScriptEnabled: false } },
  ],
  webServer: {
    command: "bash end2end/serve.sh",
    cwd: root,
    url: `${baseURL}/manifest.webmanifest`,
    // The debug server seeds the demo mall first (drawing every dish and product photo): about a
    // minute on 2 cores.
    timeout: 300_000,
    reuseExistingServer: false,
    env: { PLAZA_E2E_PORT: String(port) },
  },
});
