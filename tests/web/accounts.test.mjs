// The account pages in a real browser (headless Chromium): sign up, a token made and revoked on
// the tokens page and used against the API, password change, log-out and log-in; the session
// cookie out of reach of scripts, the CSP against inline script, keyboard-only log-in, phone width.
// Forms are found by their labels and roles, so an unlabelled field fails the test.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";

import { startWharf } from "../lib/wharf.mjs";
import { launchBrowser } from "../lib/browser.mjs";

let server, browser;

before(async () => {
  server = await startWharf();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const path = (page) => new URL(page.url()).pathname;

async function whoami(token) {
  const res = await fetch(`${server.url}/api/whoami-v2`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

// Signs up `name` through the form; the page ends signed in on the tokens page.
async function signUp(page, name, password) {
  await page.goto(`${server.url}/join`);
  await page.getByLabel("User name").fill(name);
  await page.getByLabel("Email").fill(`${name}@example.org`);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`${server.url}/settings/tokens`);
  await page.getByRole("button", { name: `Log out ${name}` }).waitFor();
}

async function logOut(page) {
  await page.getByRole("button", { name: /^Log out/ }).click();
  await page.waitForURL(`${server.url}/login`);
  await page.getByRole("navigation").getByRole("link", { name: "Log in" }).waitFor();
}

async function logIn(page, login, password) {
  await page.getByLabel("User name or email").fill(login);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

test("sign up, make a write token, use it, revoke it, change the password, log out and in", async () => {
  const page = await browser.newPage();
  await signUp(page, "ada", "first-password");
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Access tokens");
  await page.getByText("No tokens.").waitFor();

  // A write token: its secret is shown once, in a labelled read-only field.
  await page.getByLabel("Name", { exact: true }).fill("laptop");
  await page.getByLabel("Role").selectOption("write");
  await page.getByRole("button", { name: "Create token" }).click();
  const secretField = page.getByLabel("The new token");
  const secret = await secretField.inputValue();
  assert.match(secret, /^hf_[A-Za-z0-9]{20,}$/);
  assert.equal(await secretField.getAttribute("readonly"), "");
  const row = page.getByRole("row", { name: /laptop/ });
  assert.match(await row.textContent(), /write/);

  let who = await whoami(secret);
  assert.equal(who.status, 200, JSON.stringify(who.body));
  assert.equal(who.body.name, "ada");
  assert.equal(who.body.auth.accessToken.role, "write");

  // Reloading the page does not show the secret again.
  await page.goto(`${server.url}/settings/tokens`);
  assert.equal(await page.getByLabel("The new token").count(), 0);
  assert.equal((await page.content()).includes(secret), false);

  await page.getByRole("row", { name: /laptop/ }).getByRole("button", { name: "Revoke" }).click();
  await page.getByText("No tokens.").waitFor();
  who = await whoami(secret);
  assert.equal(who.status, 401);

  // Password change: the nav link, three labelled fields, a notice.
  await page.getByRole("link", { name: "Password" }).click();
  await page.waitForURL(`${server.url}/settings/password`);
  await page.getByLabel("Current password").fill("first-password");
  await page.getByLabel("New password", { exact: true }).fill("second-password");
  await page.getByLabel("New password again").fill("second-password");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.getByText("Your password is changed").waitFor();

  await logOut(page);
  assert.equal((await page.context().cookies()).some((c) => c.name === "wharf_session"), false);

  // The old password no longer works; the new one does.
  await logIn(page, "ada", "first-password");
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.equal(path(page), "/login");
  await logIn(page, "ada@example.org", "second-password");
  await page.waitForURL(`${server.url}/settings/tokens`);
  await page.getByRole("button", { name: "Log out ada" }).waitFor();
  await logOut(page);

  // Signed out, the settings pages send the browser to log in.
  await page.goto(`${server.url}/settings/tokens`);
  assert.equal(path(page), "/login");
});

test("the session cookie is HttpOnly: scripts on the page cannot read it", async () => {
  const page = await browser.newPage();
  await signUp(page, "grace", "grace-password");
  const session = (await page.context().cookies()).find((c) => c.name === "wharf_session");
  assert.ok(session, "a wharf_session cookie is set");
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, "Lax");
  const visible = await page.evaluate(() => document.cookie);
  assert.equal(visible.includes("wharf_session"), false, `document.cookie: ${visible}`);
  assert.equal(visible.includes(session.value), false);
});

test("the pages' Content-Security-Policy blocks inline script, also in reflected input", async () => {
  const page = await browser.newPage();
  const violations = [];
  page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  const res = await page.goto(`${server.url}/login`);
  const csp = res.headers()["content-security-policy"];
  assert.match(csp, /default-src 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline/);

  // An inline script added to the page does not run.
  const ran = await page.evaluate(async () => {
    const s = document.createElement("script");
    s.textContent = "window.__inlineRan = true";
    document.body.appendChild(s);
    await new Promise((r) => setTimeout(r, 50));
    return window.__inlineRan === true;
  });
  assert.equal(ran, false);
  assert.ok(violations.length > 0, "the browser reports the blocked script");

  // Markup typed into a field comes back as text, and no script from it runs.
  const evil = `"><script>window.__reflected = 1</script><img src=x onerror="window.__reflected = 2">`;
  await logIn(page, evil, "not-the-password");
  await page.getByRole("alert").waitFor();
  assert.equal(await page.getByLabel("User name or email").inputValue(), evil);
  assert.equal(await page.evaluate(() => window.__reflected), undefined);
  assert.equal(await page.locator("main script, main img").count(), 0);
});

test("keyboard only: Tab to the fields, type, Enter logs in", async () => {
  const setup = await browser.newPage();
  await signUp(setup, "linus", "linus-password");

  const page = await browser.newPage();
  await page.goto(`${server.url}/login`);
  let tabs = 0;
  while ((await page.evaluate(() => document.activeElement?.name)) !== "login") {
    assert.ok(++tabs <= 10, "Tab reaches the log-in field");
    await page.keyboard.press("Tab");
  }
  await page.keyboard.type("linus");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.name), "password");
  await page.keyboard.type("linus-password");
  await page.keyboard.press("Enter");
  await page.waitForURL(`${server.url}/settings/tokens`);
  await page.getByRole("button", { name: "Log out linus" }).waitFor();
});

test("the pages fit a phone's width (375 px) without scrolling sideways", async () => {
  const page = await browser.newPage({ viewport: { width: 375, height: 700 } });
  const fits = async (where) => {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `${where}: the page is ${width} px wide`);
  };
  for (const p of ["/join", "/login"]) {
    await page.goto(server.url + p);
    await fits(p);
  }
  await signUp(page, "margaret-hamilton-with-a-long-name", "margaret-password");
  // A token with a long scope fills the table.
  await page.getByLabel("Name", { exact: true }).fill("a-rather-long-token-name-for-the-table");
  await page.getByLabel("Role").selectOption("fineGrained");
  await page.getByLabel("Namespace or repo").fill("margaret-hamilton-with-a-long-name/apollo-guidance-computer");
  await page.getByLabel(/repo\.content\.read/).check();
  await page.getByRole("button", { name: "Create token" }).click();
  await page.getByLabel("The new token").waitFor();
  await fits("/settings/tokens with a new token");
  await page.goto(`${server.url}/settings/tokens`);
  await fits("/settings/tokens");
  await page.goto(`${server.url}/settings/password`);
  await fits("/settings/password");
});
