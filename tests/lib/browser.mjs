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
