// Headless Chromium for the web UI tests: Debian's `chromium` (scripts/install-deps.sh --tests),
// driven by playwright-core, which never downloads a browser. CHROMIUM names another binary.
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

// Launches the browser once per test file. Resolves to { newPage(options), close() }:
// newPage opens a page in a fresh context (its own cookies), closed along with the browser.
export async function launchBrowser() {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `No Chromium at ${CHROMIUM}: install Debian's package (bash scripts/install-deps.sh --tests) ` +
        "or point CHROMIUM at a Chromium binary");
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  } catch (e) {
    throw new Error(`Chromium at ${CHROMIUM} did not start: ${e.message}`);
  }
  const contexts = [];
  return {
    browser,
    async newPage(options = {}) {
      const context = await browser.newContext(options);
      contexts.push(context);
      return context.newPage();
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
    },
  };
}

// Signs a new user up through the join form in a fresh context; resolves to their page, left
// on the tokens page where sign-up lands.
export async function signUpInBrowser(browser, baseUrl, name) {
  const page = await browser.newPage();
  await page.goto(`${baseUrl}/join`);
  await page.getByLabel("User name").fill(name);
  await page.getByLabel("Email").fill(`${name}@example.org`);
  await page.getByLabel("Password", { exact: true }).fill(`${name}-password`);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`${baseUrl}/settings/tokens`);
  return page;
}

// Creates a model (Apache-2.0) through the "New" form and waits for its page.
export async function createModelInBrowser(page, name) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "New" }).click();
  await page.getByLabel("Name of the model").fill(name);
  await page.getByLabel("License").selectOption("apache-2.0");
  await page.getByRole("button", { name: "Create model" }).click();
  await page.waitForURL((url) => url.pathname.endsWith(`/${name}`));
}
