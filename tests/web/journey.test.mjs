// The web UI's main journey in headless Chromium, as a new user lives it: sign up → create a
// model → upload files in the browser → see the rendered card (its table and its image from
// the repo) → browse the files → open the commit's diff → find the model by search and a
// facet → like it → make it private (its image still loads for the owner) → log out and get a
// not-found page. Every step goes through the pages' own links, labels and buttons.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { startWharf } from "../lib/wharf.mjs";
import { launchBrowser } from "../lib/browser.mjs";
import { createRepo, commit, fileOp } from "../lib/hub_ops.mjs";

let server, browser, dir;

// A 2x2 PNG, so that the card's image has a size once loaded.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==", "base64");

const CARD = `---
license: mit
pipeline_tag: text-classification
language: [en]
---
# Journey model

Classifies journeys.

| metric | value |
|--------|-------|
| accuracy | 0.97 |

![diagram](images/diagram.png)
`;

before(async () => {
  server = await startWharf();
  browser = await launchBrowser();
  dir = mkdtempSync(join(tmpdir(), "wharf-journey-"));
  writeFileSync(join(dir, "README.md"), CARD);
  writeFileSync(join(dir, "config.json"), JSON.stringify({ model_type: "bert", hidden_size: 768 }, null, 2) + "\n");
  writeFileSync(join(dir, "diagram.png"), PNG);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const url = (path) => `${server.url}${path}`;

test("sign up, create, upload, read, browse, diff, search, like, make private, log out", async () => {
  const page = await browser.newPage();

  // Sign up.
  await page.goto(url("/join"));
  await page.getByLabel("User name").fill("journey");
  await page.getByLabel("Email").fill("journey@example.org");
  await page.getByLabel("Password", { exact: true }).fill("journey-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("button", { name: "Log out journey" }).waitFor();

  // Create a model from the nav's "New".
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "New" }).click();
  await page.getByLabel("Name of the model").fill("trip-classifier");
  await page.getByRole("button", { name: "Create model" }).click();
  await page.waitForURL(url("/journey/trip-classifier"));
  await page.getByText("No card yet").waitFor();

  // Upload three files in the browser, the image into a folder, as one commit each time.
  await page.getByRole("link", { name: "Files and versions" }).click();
  await page.getByRole("link", { name: "Upload files" }).click();
  await page.getByLabel("Files").setInputFiles([join(dir, "README.md"), join(dir, "config.json")]);
  await page.getByLabel("Commit message").fill("Add the card and the config");
  await page.getByRole("button", { name: /^Commit changes/ }).click();
  await page.waitForURL((u) => !u.pathname.includes("/upload/"));
  await page.goto(url("/journey/trip-classifier/upload/main"));
  await page.getByLabel("Files").setInputFiles(join(dir, "diagram.png"));
  await page.getByLabel("Target folder (optional)").fill("images");
  await page.getByLabel("Commit message").fill("Add the diagram");
  await page.getByRole("button", { name: /^Commit changes/ }).click();
  await page.waitForURL((u) => !u.pathname.includes("/upload/"));

  // The rendered card: its heading, its table, its image loaded from the repo.
  await page.goto(url("/journey/trip-classifier"));
  await page.getByRole("heading", { name: "Journey model" }).waitFor();
  const card = page.getByRole("article", { name: "Card" });
  assert.equal(await card.getByRole("cell", { name: "0.97" }).count(), 1);
  const image = card.getByRole("img", { name: "diagram" });
  await image.waitFor();
  await page.waitForFunction(() => document.querySelector("article img")?.complete);
  assert.equal(await image.evaluate((img) => img.naturalWidth), 2, "the card's image loads from the repo");
  assert.match(await page.getByRole("complementary", { name: "About this repository" }).innerText(), /text-classification[\s\S]*mit/);

  // Browse the files, open one.
  await page.getByRole("link", { name: "Files and versions" }).click();
  await page.getByRole("link", { name: "images" }).waitFor();
  await page.getByRole("link", { name: "config.json" }).click();
  await page.waitForURL(/\/blob\/main\/config\.json$/);
  assert.match(await page.locator("main").innerText(), /"hidden_size": 768/);

  // The history, then the diff of the first upload.
  await page.getByRole("link", { name: "Commits" }).click();
  await page.getByRole("link", { name: "Add the card and the config" }).click();
  await page.waitForURL(/\/commit\/[0-9a-f]{40}$/);
  const diff = await page.locator("main").innerText();
  assert.match(diff, /README\.md/);
  assert.match(diff, /config\.json/);
  assert.match(diff, /Classifies journeys\./);

  // Search with a facet.
  await page.goto(url("/models"));
  await page.getByLabel("Filter models by name").fill("trip");
  await page.getByLabel("Filter models by name").press("Enter");
  await page.waitForURL(/search=trip/);
  await page.getByRole("complementary", { name: "Filters" }).getByRole("link", { name: /^text-classification/ }).first().click();
  await page.waitForURL(/pipeline_tag=text-classification/);
  await page.getByRole("link", { name: "journey/trip-classifier" }).click();
  await page.waitForURL(url("/journey/trip-classifier"));

  // Like it.
  await page.getByRole("button", { name: /Like/ }).click();
  await page.waitForURL(url("/journey/trip-classifier"));
  const liked = page.getByRole("button", { name: /Liked/ });
  assert.equal(await liked.getAttribute("aria-pressed"), "true");
  assert.match(await liked.innerText(), /1/);
  const likes = await (await fetch(url("/api/models/journey/trip-classifier"))).json();
  assert.equal(likes.likes, 1);

  // Make it private: the owner still sees it, image included.
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("button", { name: "Make private" }).click();
  await page.goto(url("/journey/trip-classifier"));
  await page.getByText("private", { exact: true }).waitFor();
  await page.waitForFunction(() => document.querySelector("article img")?.complete);
  assert.equal(await page.getByRole("img", { name: "diagram" }).evaluate((img) => img.naturalWidth), 2);
  assert.equal((await fetch(url("/api/models/journey/trip-classifier"))).status, 401, "private to the API too");

  // Log out: the repo is not found, and nothing of it shows.
  await page.getByRole("button", { name: "Log out journey" }).click();
  const res = await page.goto(url("/journey/trip-classifier"));
  assert.equal(res.status(), 404);
  await page.getByRole("heading", { name: "Not found" }).waitFor();
  assert.doesNotMatch(await page.content(), /Journey model|Classifies journeys/);
  assert.equal((await page.goto(url("/journey/trip-classifier/tree/main"))).status(), 404);
});

test("the pages fit a phone's width without scrolling sideways", async () => {
  await createRepo(server, "phone-model");
  const sha = await commit(server, "phone-model", "Add a card with a long line", [
    fileOp("README.md", CARD + "\n```\n" + "x".repeat(400) + "\n```\n\n" + "word ".repeat(200) + "\n"),
    fileOp("src/a_file_with_a_rather_long_name_that_goes_on_and_on.py", "print('" + "y".repeat(300) + "')\n"),
  ]);
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  for (const path of ["/", "/models", "/journey", "/login", "/admin/phone-model", "/admin/phone-model/tree/main/src",
                      "/admin/phone-model/blob/main/src/a_file_with_a_rather_long_name_that_goes_on_and_on.py",
                      "/admin/phone-model/commits/main", `/admin/phone-model/commit/${sha}`]) {
    await page.goto(url(path));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px`);
  }
});
