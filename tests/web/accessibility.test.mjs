// Accessibility of every main page, checked in the browser on the demo hub: each form control
// and button has an accessible name, images have alt text, the page has a language, one h1
// and a main landmark, links have text, and text meets WCAG AA contrast against its
// background (4.5:1, or 3:1 for large text). Then the keyboard: Tab reaches the search box and
// the like button, and Enter on a focused link follows it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";

import { startWharf } from "../lib/wharf.mjs";
import { launchBrowser } from "../lib/browser.mjs";
import { fillDemoHub } from "../tools/demo_content.mjs";

let server, browser, session, sha;

before(async () => {
  server = await startWharf();
  browser = await launchBrowser();
  ({ browser: session } = await fillDemoHub(server, { extraModels: 3 }));
  sha = (await (await fetch(`${server.url}/api/models/wharf-lab/sentiment-bert/revision/main`)).json()).sha;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Problems found on the loaded page (an empty list when it passes).
function audit() {
  const problems = [];
  const name = (el) => {
    if (el.getAttribute("aria-label")) return el.getAttribute("aria-label");
    const by = el.getAttribute("aria-labelledby");
    if (by) return by.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? "").join(" ").trim();
    if (el.labels && el.labels.length) return [...el.labels].map((l) => l.textContent).join(" ").trim();
    if (el.tagName === "INPUT" && ["submit", "button"].includes(el.type)) return el.value;
    if (el.title) return el.title;
    return el.textContent.trim() || [...el.querySelectorAll("img")].map((i) => i.alt).join(" ").trim();
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none";
  };
  if (!document.documentElement.lang) problems.push("no lang on <html>");
  if (document.querySelectorAll("h1").length !== 1) problems.push(`${document.querySelectorAll("h1").length} h1 elements`);
  if (!document.querySelector("main")) problems.push("no <main>");
  if (!document.title.trim()) problems.push("no title");
  for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea, button"))
    if (!name(el)) problems.push(`unnamed <${el.tagName.toLowerCase()} name=${el.name}>`);
  for (const img of document.querySelectorAll("img")) if (!img.hasAttribute("alt")) problems.push(`img without alt: ${img.src}`);
  for (const a of document.querySelectorAll("a[href]")) if (visible(a) && !name(a)) problems.push(`link without text: ${a.href}`);

  // Contrast of every visible element that holds text of its own.
  const rgba = (c) => (c.match(/[\d.]+/g) ?? []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const seen = new Set();
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !visible(el)) continue;
    const s = getComputedStyle(el);
    const fg = rgba(s.color).slice(0, 3);
    const bg = background(el);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    const need = large ? 3 : 4.5;
    const key = `${s.color}/${bg}`;
    if (ratio < need && !seen.has(key)) {
      seen.add(key);
      problems.push(`contrast ${ratio.toFixed(2)} < ${need}: "${el.textContent.trim().slice(0, 30)}" (${s.color} on rgb(${bg}))`);
    }
  }
  return problems;
}

const PAGES = () => [
  "/", "/models", "/models?pipeline_tag=text-classification&sort=likes", "/datasets", "/spaces",
  "/wharf-lab/sentiment-bert", "/wharf-lab/sentiment-bert/tree/main", "/wharf-lab/sentiment-bert/tree/v1.0/train",
  "/wharf-lab/sentiment-bert/blob/main/train/train.py", "/wharf-lab/sentiment-bert/commits/main",
  `/wharf-lab/sentiment-bert/commit/${sha}`, "/datasets/wharf-lab/movie-reviews", "/spaces/ada/sentiment-demo",
  "/wharf-lab", "/ada", "/login", "/join", "/no-such-user",
  "/wharf-lab/sentiment-bert/discussions", "/wharf-lab/sentiment-bert/discussions/1",
  "/wharf-lab/sentiment-bert/discussions/2", "/wharf-lab/sentiment-bert/discussions/2/files",
];
const SIGNED_IN = [
  "/new", "/new-dataset", "/settings/tokens", "/settings/password", "/wharf-lab/sentiment-bert/settings",
  "/wharf-lab/sentiment-bert/upload/main", "/wharf-lab/sentiment-bert/edit/main/README.md",
  "/wharf-lab/sentiment-bert/discussions/new", "/wharf-lab/sentiment-bert/discussions/2",
];

test("every page names its controls, describes its images and meets AA contrast (anonymous)", async () => {
  const page = await browser.newPage();
  const failures = [];
  for (const path of PAGES()) {
    await page.goto(server.url + path);
    const problems = await page.evaluate(audit);
    if (problems.length) failures.push(`${path}:\n  ${problems.join("\n  ")}`);
  }
  assert.deepEqual(failures, [], failures.join("\n"));
});

test("every page names its controls, describes its images and meets AA contrast (signed in)", async () => {
  const page = await browser.newPage();
  await page.context().addCookies([...session.jar].map(([name, value]) => ({ name, value, url: server.url })));
  const failures = [];
  for (const path of [...SIGNED_IN, "/wharf-lab/sentiment-bert", "/"]) {
    await page.goto(server.url + path);
    const problems = await page.evaluate(audit);
    if (problems.length) failures.push(`${path}:\n  ${problems.join("\n  ")}`);
  }
  assert.deepEqual(failures, [], failures.join("\n"));
});

test("the keyboard reaches the search box and the like button, and Enter follows a link", async () => {
  const page = await browser.newPage();
  await page.context().addCookies([...session.jar].map(([name, value]) => ({ name, value, url: server.url })));
  await page.goto(`${server.url}/wharf-lab/sentiment-bert`);
  const reached = new Set();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    const what = await page.evaluate(() => {
      const el = document.activeElement;
      return el.id || el.className || el.textContent.trim().slice(0, 20);
    });
    reached.add(what);
  }
  assert.ok(reached.has("site-search"), [...reached].join(", "));
  assert.ok([...reached].some((w) => /like-button/.test(w)), [...reached].join(", "));
  // The skip link comes first and leads to the content.
  await page.goto(`${server.url}/wharf-lab/sentiment-bert`);
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Skip to content");
  // Enter on the "Files and versions" tab follows it.
  await page.getByRole("link", { name: "Files and versions" }).focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/tree\/main$/);
});
