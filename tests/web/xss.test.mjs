// Hostile content renders inert on every page that shows it: a card, its metadata, file names,
// file content, commit messages and search input carry <script>, event handlers and
// javascript: URLs. Checked in a real browser: no dialog opens, no payload runs, and the DOM
// holds no script, event-handler attribute or javascript: link that wharf did not write.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";

import { startWharf } from "../lib/wharf.mjs";
import { launchBrowser } from "../lib/browser.mjs";
import { createRepo, commit, fileOp } from "../lib/hub_ops.mjs";

let server, browser;

const CARD = `---
license: "<b>mit</b>"
language: ["en", "<script>window.__pwned='lang'</script>"]
tags:
  - "<script>window.__pwned='tag'</script>"
  - "\\"><img src=x onerror=\\"window.__pwned='tagattr'\\">"
base_model: "\\"><svg onload=window.__pwned='base'>"
datasets: ["javascript:window.__pwned='ds'"]
model-index:
  - name: "<script>window.__pwned='mi'</script>"
    results:
      - task: {type: text-classification, name: "<img src=x onerror=window.__pwned='task'>"}
        dataset: {type: imdb, name: "<script>window.__pwned='dataset'</script>"}
        metrics: [{type: accuracy, value: "<script>window.__pwned='value'</script>"}]
---
# Hostile card <script>window.__pwned='h1'</script>

<script>window.__pwned = 'script';</script>

<img src="x" onerror="window.__pwned = 'onerror'">

<svg onload="window.__pwned = 'svg'"></svg>

<iframe srcdoc="<script>parent.__pwned='iframe'</script>"></iframe>

<a href="javascript:window.__pwned='rawlink'">raw link</a>

[markdown link](javascript:window.__pwned='mdlink') [encoded](jav&#x09;ascript:window.__pwned='enc')
[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)

![image](javascript:window.__pwned='img')

<div style="background:url(javascript:alert(1))" onclick="window.__pwned='click'">styled</div>
`;

before(async () => {
  server = await startWharf();
  browser = await launchBrowser();
  await createRepo(server, "hostile");
  await commit(server, "hostile", "<script>window.__pwned='commit'</script> <img src=x onerror=alert(1)>", [
    fileOp("README.md", CARD),
    fileOp("notes/<b>bold</b>.txt", "<script>window.__pwned='file'</script>\n<img src=x onerror=alert(1)>\n"),
    fileOp("page.html", "<!doctype html><script>window.__pwned='html'</script>"),
  ]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Opens `path` and checks that nothing hostile runs or sits live in the DOM.
async function assertInert(page, path) {
  const dialogs = [];
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  const res = await page.goto(`${server.url}${path}`);
  assert.ok(res.status() < 500, `${path}: ${res.status()}`);
  await page.waitForLoadState("load");
  const found = await page.evaluate(() => {
    const problems = [];
    if (window.__pwned !== undefined) problems.push(`payload ran: ${window.__pwned}`);
    for (const s of document.querySelectorAll("script"))
      if (!s.src || !new URL(s.src).pathname.endsWith("/static/wharf.js")) problems.push(`script: ${s.outerHTML.slice(0, 80)}`);
    for (const el of document.querySelectorAll("*")) {
      for (const attr of el.attributes) {
        if (attr.name.toLowerCase().startsWith("on")) problems.push(`handler ${attr.name} on <${el.tagName}>`);
        if (attr.name === "style") problems.push(`style attribute on <${el.tagName}>`);
        if ((attr.name === "href" || attr.name === "src" || attr.name === "action" || attr.name === "formaction") &&
            /^\s*(javascript|vbscript|data:text)/i.test(attr.value))
          problems.push(`${attr.name}=${attr.value.slice(0, 40)} on <${el.tagName}>`);
      }
      if (["IFRAME", "OBJECT", "EMBED", "SVG", "svg"].includes(el.tagName)) problems.push(`<${el.tagName}> element`);
    }
    return problems;
  });
  assert.deepEqual(found, [], `${path}: ${found.join("; ")}`);
  assert.deepEqual(dialogs, [], `${path}: dialogs opened`);
}

test("a hostile card, its metadata and its links render inert", async () => {
  const page = await browser.newPage();
  await assertInert(page, "/admin/hostile");
  // The card's own words are still there, as text.
  await page.getByRole("heading", { name: /Hostile card/ }).waitFor();
  assert.ok((await page.getByText("<script>window.__pwned='tag'</script>").count()) >= 1,
            "a hostile tag is shown as text");
  const text = await page.locator("main").innerText();
  assert.match(text, /markdown link/);
});

test("hostile file names, file content and commit messages render inert", async () => {
  const page = await browser.newPage();
  await assertInert(page, "/admin/hostile/tree/main");
  await assertInert(page, "/admin/hostile/tree/main/notes");
  await assertInert(page, `/admin/hostile/blob/main/${encodeURIComponent("notes")}/${encodeURIComponent("<b>bold</b>.txt")}`);
  assert.match(await page.locator("main").innerText(), /<script>window.__pwned='file'<\/script>/);
  await assertInert(page, "/admin/hostile/blob/main/page.html");
  await assertInert(page, "/admin/hostile/blob/main/README.md");
  await assertInert(page, "/admin/hostile/commits/main");
  assert.match(await page.locator("main").innerText(), /<script>window.__pwned='commit'<\/script>/);
  const sha = (await (await fetch(`${server.url}/api/models/admin/hostile/revision/main`)).json()).sha;
  await assertInert(page, `/admin/hostile/commit/${sha}`);
});

test("hostile search input and facets render inert", async () => {
  const page = await browser.newPage();
  await assertInert(page, `/models?search=${encodeURIComponent("\"><script>window.__pwned='search'</script>")}`);
  await assertInert(page, `/models?filter=${encodeURIComponent("<img src=x onerror=alert(1)>")}`);
  await assertInert(page, `/models?other=${encodeURIComponent("\"><script>alert(1)</script>")}`);
  await assertInert(page, "/admin");
});
