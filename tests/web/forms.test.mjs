// The repo forms in a real browser (headless Chromium): create a repo, upload files with the
// file picker, edit the README in the text editor, make the repo private, and a gated repo's
// access request, reviewed and accepted by its owner. Fields are found by their labels.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";

import { startWharf } from "../lib/wharf.mjs";
import { launchBrowser, signUpInBrowser, createModelInBrowser } from "../lib/browser.mjs";

let server, browser;

before(async () => {
  server = await startWharf();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const path = (page) => decodeURIComponent(new URL(page.url()).pathname);

const signUp = (name) => signUpInBrowser(browser, server.url, name);
const createModel = createModelInBrowser;

// Replaces the README through the editor and waits for the card.
async function editReadme(page, repo, text) {
  await page.goto(`${server.url}/${repo}/edit/main/README.md`);
  await page.getByLabel("Content of README.md").fill(text);
  await page.getByLabel("Commit message").fill("Edit the card");
  await page.getByRole("button", { name: "Commit changes to main" }).click();
  await page.waitForURL(`${server.url}/${repo}`);
}

async function api(p) {
  const res = await fetch(`${server.url}${p}`, { headers: { Authorization: `Bearer ${server.token}` } });
  return res.json();
}

test("create a repo, upload files, edit the README, make it private", async () => {
  const page = await signUp("ada");
  await createModel(page, "tiny");
  assert.equal(path(page), "/ada/tiny");

  // Upload two files into a folder with the file picker.
  await page.goto(`${server.url}/ada/tiny/upload/main`);
  const weights = Buffer.alloc(2 << 20, 7);
  await page.getByLabel("Files").setInputFiles([
    { name: "config.json", mimeType: "application/json", buffer: Buffer.from('{"layers": 2}\n') },
    { name: "weights.bin", mimeType: "application/octet-stream", buffer: weights },
  ]);
  await page.getByLabel("Target folder (optional)").fill("model");
  await page.getByLabel("Commit message").fill("Add the model");
  await page.getByRole("button", { name: "Commit changes to main" }).click();
  await page.waitForURL(`${server.url}/ada/tiny/tree/main/model`);
  const tree = await api("/api/models/ada/tiny/tree/main/model");
  const bin = tree.find((e) => e.path === "model/weights.bin");
  assert.ok(tree.some((e) => e.path === "model/config.json"));
  assert.equal(bin.lfs?.oid, createHash("sha256").update(weights).digest("hex"), "a binary file over 1 MiB goes to LFS");
  const commits = await api("/api/models/ada/tiny/commits/main");
  assert.equal(commits[0].title, "Add the model");

  // The README through the editor: the card shows it, keeping the license the form wrote.
  await page.goto(`${server.url}/ada/tiny/edit/main/README.md`);
  assert.match(await page.getByLabel("Content of README.md").inputValue(), /license: apache-2.0/);
  await editReadme(page, "ada/tiny", "---\nlicense: apache-2.0\n---\n# Tiny model\n\nIt is small.\n");
  await page.getByRole("heading", { name: "Tiny model" }).waitFor();
  assert.equal((await api("/api/models/ada/tiny")).cardData.license, "apache-2.0");

  // Private: the badge shows and anonymous callers no longer see it.
  await page.goto(`${server.url}/ada/tiny/settings`);
  await page.getByRole("button", { name: "Make private" }).click();
  await page.getByText("The visibility is changed.").waitFor();
  await page.locator(".badge.private").waitFor();
  assert.equal((await fetch(`${server.url}/api/models/ada/tiny`)).status, 401);
});

test("a gated repo: request access, the owner accepts it, the files open", async () => {
  const owner = await signUp("grace");
  await createModel(owner, "gated");
  await editReadme(owner, "grace/gated",
                   "---\nextra_gated_fields:\n  Company: text\n  Country: country\n  I accept the license: checkbox\n---\n# Gated\n");
  await owner.goto(`${server.url}/grace/gated/settings`);
  await owner.getByLabel("Manual approval").check();
  await owner.getByRole("button", { name: "Save access settings" }).click();
  await owner.getByText("The access settings are changed.").waitFor();

  const user = await signUp("linus");
  await user.goto(`${server.url}/grace/gated`);
  await user.getByRole("link", { name: "Request access" }).click();
  await user.getByLabel("Company").fill("Acme");
  await user.getByLabel("Country").fill("Finland");
  await user.getByLabel("I accept the license").check();
  await user.getByRole("button", { name: "Request access" }).click();
  await user.getByText("Your request is pending").waitFor();
  let file = await user.request.get(`${server.url}/grace/gated/resolve/main/README.md`);
  assert.equal(file.status(), 403);

  await owner.goto(`${server.url}/grace/gated`);
  await owner.getByRole("link", { name: "Access requests" }).click();
  const row = owner.getByRole("row", { name: /linus/ });
  assert.match(await row.textContent(), /Company: Acme/);
  assert.match(await row.textContent(), /Country: Finland/);
  await row.getByRole("button", { name: "Accept linus" }).click();
  await owner.getByText("No pending requests.").waitFor();
  await owner.getByRole("link", { name: "Accepted" }).click();
  await owner.getByRole("row", { name: /linus/ }).waitFor();

  await user.reload();
  await user.getByText("Your request was accepted").waitFor();
  file = await user.request.get(`${server.url}/grace/gated/resolve/main/README.md`);
  assert.equal(file.status(), 200);
  assert.match(await file.text(), /# Gated/);
});
