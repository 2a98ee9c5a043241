// "Files and versions" and the history in a real browser (headless Chromium): from the card to
// a folder, a file, its history and a commit's diff, and the branch and tag switcher, which works
// without JavaScript. Elements are found by their roles and names, so an unnamed table, list or
// region fails the test.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";

import { startWharf } from "../lib/wharf.mjs";
import { bearer, curl } from "../lib/curl.mjs";
import { commit, createRepo, fileOp } from "../lib/hub_ops.mjs";
import { launchBrowser } from "../lib/browser.mjs";

let server, browser, first, second;

before(async () => {
  server = await startWharf();
  browser = await launchBrowser();
  await createRepo(server, "browse");
  first = await commit(server, "browse", "Add the model", [
    fileOp("README.md", "# Browse\n"),
    fileOp("src/model.py", "def forward(x):\n    return x\n"),
  ]);
  second = await commit(server, "browse", "Tune the model", [fileOp("src/model.py", "def forward(x):\n    return 2 * x\n")]);
  const tag = await curl(`${server.url}/api/models/admin/browse/tag/${first}`, {
    method: "POST", headers: { ...bearer(server.token), "Content-Type": "application/json" }, body: JSON.stringify({ tag: "v1" }),
  });
  assert.equal(tag.status, 200, tag.describe());
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const path = (page) => decodeURIComponent(new URL(page.url()).pathname);

test("browse a folder, open a file, its history and a commit's diff", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/admin/browse`);
  await page.getByRole("navigation", { name: "Repository" }).getByRole("link", { name: "Files and versions" }).click();
  await page.waitForURL(`${server.url}/admin/browse/tree/main`);

  const files = page.getByRole("table", { name: "Files" });
  assert.deepEqual(await files.getByRole("row").allInnerTexts().then((rows) => rows.map((r) => r.split("\t")[0].trim())),
                   ["Name", "src", ".gitattributes", "README.md"]);
  await files.getByRole("link", { name: "src", exact: true }).click();
  await page.waitForURL(`${server.url}/admin/browse/tree/main/src`);
  const row = page.getByRole("table", { name: "Files" }).getByRole("row", { name: /model\.py/ });
  assert.match(await row.innerText(), /Tune the model/);
  await row.getByRole("link", { name: "model.py" }).click();

  await page.waitForURL(`${server.url}/admin/browse/blob/main/src/model.py`);
  const content = page.getByRole("table", { name: "Content of model.py" });
  assert.equal(await content.getByRole("row").count(), 2);
  assert.match(await content.getByRole("row").nth(1).innerText(), /2\s+return 2 \* x/);
  const crumbs = page.getByRole("navigation", { name: "Path" });
  assert.equal(await crumbs.getByRole("link", { name: "src" }).getAttribute("href"), "/admin/browse/tree/main/src");

  await page.getByRole("region", { name: "File model.py" }).getByRole("link", { name: "History" }).click();
  await page.waitForURL(`${server.url}/admin/browse/commits/main`);
  const commits = page.getByRole("list", { name: "Commits" });
  assert.deepEqual((await commits.getByRole("listitem").allInnerTexts()).map((t) => t.split("\n")[0]),
                   ["Tune the model", "Add the model", "initial commit"]);
  await commits.getByRole("link", { name: "Tune the model" }).click();

  await page.waitForURL(`${server.url}/admin/browse/commit/${second}`);
  assert.equal(await page.getByRole("heading", { level: 2 }).first().innerText(), "Tune the model");
  const changes = page.getByRole("region", { name: "src/model.py" }).getByRole("table", { name: "Changes to src/model.py" });
  const rows = await changes.getByRole("row").allInnerTexts();
  assert.ok(rows.some((r) => /^2\s+-    return x$/.test(r.trim())), rows.join("\n"));
  assert.ok(rows.some((r) => /^2\s+\+    return 2 \* x$/.test(r.trim())), rows.join("\n"));
  // The added line is coloured (green background), the deleted one red.
  const added = changes.locator("tr.add td.text").first();
  assert.equal(await added.evaluate((td) => getComputedStyle(td).backgroundColor), "rgb(218, 251, 225)");

  await page.getByRole("link", { name: `Parent commit ${first.slice(0, 7)}` }).click();
  await page.waitForURL(`${server.url}/admin/browse/commit/${first}`);
  assert.equal(await page.getByRole("heading", { level: 2 }).first().innerText(), "Add the model");
});

test("the switcher opens without JavaScript and shows the folder at a tag", async () => {
  const context = await browser.browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/admin/browse/tree/main/src`);
    const v1 = page.getByRole("link", { name: "v1", exact: true });
    assert.equal(await v1.isVisible(), false, "the menu starts closed");
    await page.locator("summary", { hasText: "main" }).click();
    await v1.click();
    await page.waitForURL(`${server.url}/admin/browse/tree/v1/src`);
    assert.equal(path(page), "/admin/browse/tree/v1/src");
    const row = page.getByRole("table", { name: "Files" }).getByRole("row", { name: /model\.py/ });
    assert.match(await row.innerText(), /Add the model/);
  } finally {
    await context.close();
  }
});
