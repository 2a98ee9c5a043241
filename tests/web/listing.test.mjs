// The listings in a real browser (headless Chromium): from the home page to the models, a
// search typed in the box, a facet clicked, the sort changed (the select submits itself),
// the next page, and a repo opened; and the listing and the home page at phone width without
// sideways scrolling.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";

import { startWharf } from "../lib/wharf.mjs";
import { launchBrowser } from "../lib/browser.mjs";

let server, browser;

async function api(path, body, contentType = "application/json") {
  const res = await fetch(`${server.url}/api/${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${server.token}`, "Content-Type": contentType },
    body,
  });
  assert.ok(res.ok, `${path}: ${res.status} ${await res.text()}`);
}

async function makeModel(name, meta) {
  await api("repos/create", JSON.stringify({ name, type: "model" }));
  const readme = Buffer.from(`---\n${meta}\n---\n# ${name}\n`).toString("base64");
  const lines = [{ key: "header", value: { summary: "card", description: "" } },
                 { key: "file", value: { path: "README.md", content: readme, encoding: "base64" } }];
  await api(`models/admin/${name}/commit/main`, lines.map((l) => JSON.stringify(l)).join("\n") + "\n", "application/x-ndjson");
}

before(async () => {
  server = await startWharf();
  browser = await launchBrowser();
  // 33 MIT models (more than a page of 30 once filtered), 2 Apache ones and one that the
  // search leaves out.
  const made = [];
  for (let i = 0; i < 35; i++) {
    const n = String(i).padStart(2, "0");
    made.push(makeModel(`demo-model-${n}`, `license: ${i < 33 ? "mit" : "apache-2.0"}\npipeline_tag: text-generation`));
  }
  made.push(makeModel("other-thing", "license: mit\npipeline_tag: text-classification"));
  await Promise.all(made);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const listedNames = (page) => page.locator(".repo-list a.name").allTextContents();

test("home, models, search, facet, sort, next page, repo", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/`);
  await page.getByRole("heading", { name: "Trending models" }).waitFor();
  assert.equal(await page.locator('section[aria-label="Trending models"] .repo-list li').count(), 10);
  await page.getByRole("link", { name: "See all Models" }).click();
  await page.waitForURL(/\/models\?sort=trending$/);
  assert.equal((await listedNames(page)).length, 30);

  // The search box of the listing keeps the sort.
  await page.getByRole("searchbox", { name: "Filter models by name" }).fill("demo");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL(/search=demo/);
  assert.match(page.url(), /sort=trending/);
  assert.ok((await listedNames(page)).every((n) => n.includes("demo")));
  assert.equal(await page.getByRole("status").textContent(), "35 models");

  // A facet: its chip shows the count, a click filters.
  const mit = page.locator(".facets").getByRole("link", { name: /^mit/ });
  assert.equal(await mit.locator(".n").textContent(), "33");
  await mit.click();
  await page.waitForURL(/license=mit/);
  assert.equal(await page.getByRole("status").textContent(), "33 models");
  assert.equal(await page.locator(".facets a.chip.active").textContent(), "mit33");

  // The sort menu submits itself (wharf.js) and keeps the search and the facet.
  await page.getByLabel("Sort").selectOption("alphabetical");
  await page.waitForURL(/sort=alphabetical/);
  assert.match(page.url(), /search=demo/);
  assert.match(page.url(), /license=mit/);
  const first = await listedNames(page);
  assert.equal(first.length, 30);
  assert.deepEqual(first, [...first].sort());
  assert.equal(first[0], "admin/demo-model-00");

  await page.getByRole("link", { name: "Next" }).click();
  await page.waitForURL(/cursor=/);
  assert.deepEqual(await listedNames(page), ["admin/demo-model-30", "admin/demo-model-31", "admin/demo-model-32"]);
  assert.equal(await page.getByRole("link", { name: "Next" }).count(), 0);
  await page.getByRole("link", { name: "First page" }).waitFor();

  await page.getByRole("link", { name: "admin/demo-model-31" }).click();
  await page.waitForURL(`${server.url}/admin/demo-model-31`);
  await page.getByRole("heading", { name: "admin/demo-model-31" }).waitFor();
});

test("the listing works without JavaScript: the Apply button sorts", async () => {
  const page = await browser.newPage({ javaScriptEnabled: false });
  await page.goto(`${server.url}/models?search=demo`);
  await page.getByLabel("Sort").selectOption("alphabetical");
  await page.getByRole("button", { name: "Apply" }).click();
  await page.waitForURL(/sort=alphabetical/);
  assert.equal((await listedNames(page))[0], "admin/demo-model-00");
});

test("the listing and the home page fit a phone's width", async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  for (const path of ["/models?license=mit", "/", "/admin"]) {
    await page.goto(`${server.url}${path}`);
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
    assert.ok(widths.doc <= widths.view, `${path}: the page is ${widths.doc}px wide in a ${widths.view}px window`);
  }
  await page.goto(`${server.url}/models?license=mit`);
  await page.getByRole("searchbox", { name: "Filter models by name" }).fill("demo-model-3");
  await page.getByRole("searchbox", { name: "Filter models by name" }).press("Enter");
  await page.waitForURL(/search=demo-model-3/);
  assert.deepEqual((await listedNames(page)).sort(), ["admin/demo-model-30", "admin/demo-model-31", "admin/demo-model-32"]);
  const link = page.getByRole("link", { name: "admin/demo-model-30" });
  const box = await link.boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 390, JSON.stringify(box));
  await link.click();
  await page.waitForURL(`${server.url}/admin/demo-model-30`);
});
