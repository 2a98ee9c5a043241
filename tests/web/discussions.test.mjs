// Discussions and pull requests in a real browser (headless Chromium): a discussion opened on
// another user's model, commented, its comment hidden and the thread closed by the owner; a
// pull request from the New pull request form to its merge (a commit through the editor,
// published, reviewed in Files changed, merged into main); a conflicting pull request that
// names its file and offers no merge; a comment's script and javascript: link left inert.
// Fields and buttons are found by their labels and roles.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";

import { startWharf } from "../lib/wharf.mjs";
import { launchBrowser, signUpInBrowser, createModelInBrowser } from "../lib/browser.mjs";
import { ndjson, fileOp } from "../lib/hub_ops.mjs";

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

// A write token made on the tokens page (where signUp leaves the page).
async function writeToken(page) {
  await page.goto(`${server.url}/settings/tokens`);
  await page.getByLabel("Name", { exact: true }).fill("api");
  await page.getByLabel("Role").selectOption("write");
  await page.getByRole("button", { name: "Create token" }).click();
  return page.getByLabel("The new token").inputValue();
}

async function api(p, { token, method = "GET", body, type } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (type) headers["Content-Type"] = type;
  const res = await fetch(`${server.url}${p}`, { method, headers, body });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${p}: ${res.status} ${text}`);
  try { return JSON.parse(text); } catch { return text; }
}

const badge = (page) => page.locator(".discussion-head .badge");
const comments = (page, author) => page.getByRole("article", { name: `Comment by ${author}` });

test("a discussion on another user's model: opened, commented, a comment hidden, closed", async () => {
  const owner = await signUp("ada");
  await createModel(owner, "talk");

  const user = await signUp("bob");
  await user.goto(`${server.url}/ada/talk`);
  await user.getByRole("link", { name: /^Community/ }).click();
  await user.getByText("No discussions here yet.").waitFor();
  await user.getByRole("link", { name: "New discussion" }).click();
  await user.getByLabel("Title").fill("Which license?");
  await user.getByLabel("Description (Markdown, optional)").fill("Can I use it **commercially**?");
  await user.getByRole("button", { name: "Create discussion" }).click();
  await user.waitForURL(`${server.url}/ada/talk/discussions/1`);
  await user.getByRole("heading", { name: /Which license\?/ }).waitFor();
  assert.equal(await comments(user, "bob").locator("strong").textContent(), "commercially");
  await user.getByLabel("Comment (Markdown)").fill("Never mind, I found it.");
  await user.getByRole("button", { name: "Comment", exact: true }).click();
  await comments(user, "bob").nth(1).locator(".markdown").getByText("Never mind, I found it.").waitFor();

  // Its author edits the first comment in place.
  const first = comments(user, "bob").first();
  await first.getByText("Edit", { exact: true }).click();
  await first.getByLabel("Edit your comment").fill("Can I use it **commercially**, please?");
  await first.getByRole("button", { name: "Save comment" }).click();
  await comments(user, "bob").first().getByText("edited", { exact: true }).click();
  await comments(user, "bob").first().getByRole("list", { name: "Versions" }).getByText("Can I use it **commercially**?", { exact: true }).waitFor();
  assert.equal(await comments(user, "bob").first().locator(".markdown").textContent(), "Can I use it commercially, please?\n");

  // The list shows it, with the open count in the tab.
  await user.goto(`${server.url}/ada/talk/discussions`);
  const row = user.getByRole("listitem").filter({ hasText: "Which license?" });
  assert.match(await row.textContent(), /#1[\s\S]*bob[\s\S]*open/);
  assert.match(await user.getByRole("link", { name: /^Community/ }).textContent(), /1/);

  // The owner hides the second comment and closes the discussion.
  await owner.goto(`${server.url}/ada/talk/discussions/1`);
  await comments(owner, "bob").nth(1).getByRole("button", { name: "Hide the comment by bob" }).click();
  await owner.getByText("This comment has been hidden").waitFor();
  assert.equal(await owner.getByText("Never mind, I found it.").count(), 0);
  await owner.getByRole("button", { name: "Close discussion" }).click();
  await owner.getByText("ada closed this").waitFor();
  assert.equal(await badge(owner).textContent(), "closed");
  const details = await api("/api/models/ada/talk/discussions/1");
  assert.equal(details.status, "closed");

  // Comments stay open on a closed discussion; the author may not hide.
  await user.goto(`${server.url}/ada/talk/discussions/1`);
  assert.equal(await user.getByRole("button", { name: /^Hide/ }).count(), 0);
  await user.getByLabel("Comment (Markdown)").fill("Thanks!");
  await user.getByRole("button", { name: "Comment", exact: true }).click();
  await user.locator(".markdown").getByText("Thanks!").waitFor();
});

test("a pull request from the form to its merge", async () => {
  const owner = await signUp("grace");
  await createModel(owner, "card");
  const user = await signUp("linus");

  await user.goto(`${server.url}/grace/card/discussions`);
  await user.getByRole("link", { name: "New pull request" }).click();
  await user.getByLabel("Title").fill("Describe the model");
  await user.getByLabel("Description (Markdown, optional)").fill("A better card.");
  await user.getByRole("button", { name: "Create pull request" }).click();
  await user.waitForURL(`${server.url}/grace/card/discussions/1`);
  assert.equal(await badge(user).textContent(), "draft");
  await user.getByText(/No changes yet/).waitFor();
  await user.getByText("refs/pr/1", { exact: true }).first().waitFor();
  assert.match(await user.locator(".push-help pre").textContent(), /git push origin pr\/1:refs\/pr\/1/);

  // A commit through the editor at refs/pr/1 goes to the PR and back to its thread.
  await user.getByRole("link", { name: "Edit README.md in this pull request" }).click();
  const card = "---\nlicense: apache-2.0\n---\n# Card\n\nA model that reads cards.\n";
  await user.getByLabel("Content of README.md").fill(card);
  await user.getByLabel("Commit message").fill("Write the card");
  await user.getByRole("button", { name: "Commit changes to refs/pr/1" }).click();
  await user.waitForURL(`${server.url}/grace/card/discussions/1`);
  await user.getByRole("link", { name: "Write the card" }).waitFor();
  await user.getByRole("button", { name: "Publish pull request" }).click();
  await user.getByText("linus published this").waitFor();
  assert.equal(await badge(user).textContent(), "open");
  assert.equal(await user.getByRole("button", { name: "Merge pull request" }).count(), 0, "only writers merge");

  // The owner reviews the diff and merges.
  await owner.goto(`${server.url}/grace/card/discussions/1`);
  await owner.getByRole("link", { name: "Files changed" }).click();
  await owner.waitForURL(`${server.url}/grace/card/discussions/1/files`);
  const diff = owner.getByRole("table", { name: "Changes to README.md" });
  await diff.getByText("+A model that reads cards.").waitFor();
  await owner.getByRole("link", { name: "Conversation" }).click();
  await owner.getByRole("button", { name: "Merge pull request" }).click();
  await owner.getByText("grace merged this").waitFor();
  assert.equal(await badge(owner).textContent(), "merged");
  await owner.getByText(/Merged into main as commit/).waitFor();
  const readme = await fetch(`${server.url}/grace/card/resolve/main/README.md`);
  assert.equal(await readme.text(), card);
  await owner.getByRole("link", { name: "Files changed" }).click();
  await owner.getByRole("table", { name: "Changes to README.md" }).getByText("+A model that reads cards.").waitFor();
});

test("a conflicting pull request names the file and offers no merge", async () => {
  const owner = await signUp("hedy");
  const token = await writeToken(owner);
  await api("/api/repos/create", { token, method: "POST", type: "application/json", body: JSON.stringify({ name: "clash" }) });
  const commit = (summary, content, query = "") =>
    api(`/api/models/hedy/clash/commit/main${query}`, {
      token, method: "POST", type: "application/x-ndjson", body: ndjson(summary, [fileOp("notes.txt", content)]),
    });
  await commit("Notes", "one\n");
  await commit("Notes, take two", "two\n", "?create_pr=1");
  await commit("Notes, take three", "three\n");

  await owner.goto(`${server.url}/hedy/clash/discussions/1`);
  const box = owner.locator(".conflicts");
  await box.getByText("This pull request cannot be merged").waitFor();
  assert.equal(await box.getByRole("listitem").textContent(), "notes.txt");
  assert.equal(await owner.getByRole("button", { name: "Merge pull request" }).count(), 0);
});

test("a comment's script and javascript: link stay inert", async () => {
  const page = await signUp("mallory");
  await page.goto(`${server.url}/ada/talk/discussions/new`);
  await page.getByLabel("Title").fill("<script>window.pwned = 1</script>");
  await page.getByLabel("Description (Markdown, optional)").fill(
    '<script>window.pwned = 2</script>\n\n[click me](javascript:window.pwned=3)\n\n<img src="x" onerror="window.pwned = 4">\n');
  await page.getByRole("button", { name: "Create discussion" }).click();
  await page.waitForURL(/\/ada\/talk\/discussions\/\d+$/);
  await page.getByRole("heading", { name: /<script>window.pwned = 1<\/script>/ }).waitFor();
  const comment = comments(page, "mallory");
  assert.equal(await comment.locator("script, img[onerror]").count(), 0);
  const links = comment.getByRole("link", { name: "click me" });
  if (await links.count()) assert.doesNotMatch((await links.getAttribute("href")) ?? "", /^\s*javascript:/i);
  assert.equal(await page.locator('a[href^="javascript:" i]').count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  await page.goto(`${server.url}/ada/talk/discussions?status=all`);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  await page.getByRole("link", { name: "<script>window.pwned = 1</script>" }).waitFor();
});
