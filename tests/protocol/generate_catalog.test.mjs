// `wharf admin generate-catalog`: a synthetic catalog written into a fresh data dir, appended
// to a second time, refused when absurd, and served by /api/models like any other repos.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { WHARF_BIN, startWharf } from "../lib/wharf.mjs";
import { curl } from "../lib/curl.mjs";

// Runs `wharf admin …`; resolves to {code, out, err}.
function admin(dataDir, words) {
  return new Promise((resolve) => {
    const p = spawn(WHARF_BIN, ["admin", ...words, "--data-dir", dataDir], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("exit", (code) => resolve({ code, out, err }));
  });
}

function sql(dataDir, query) {
  return execFileSync("sqlite3", [join(dataDir, "wharf.db"), query]).toString().trim();
}

// Every item of a listing, following the Link header's next pages.
async function listAll(url) {
  const items = [];
  for (let next = url, pages = 0; next; pages++) {
    assert.ok(pages < 100, "too many pages");
    const res = await curl(next);
    assert.equal(res.status, 200, res.describe());
    items.push(...res.json());
    next = (res.header("link") ?? "").match(/<([^>]+)>;\s*rel="next"/)?.[1];
  }
  return items;
}

test("GeneratesAppendsAndServesTheCatalog", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "wharf-catalog-"));
  let server;
  try {
    const made = await admin(dataDir, ["generate-catalog", "--models", "200", "--datasets", "50", "--spaces=50"]);
    assert.equal(made.code, 0, made.err);
    assert.match(made.out, /^generated 200 models, 50 datasets, 50 spaces \(seed 1\) in [\d.]+ s/m);
    assert.match(made.out, /^database: [\d.]+ MiB \(wharf\.db [\d.]+ MiB \+ wal [\d.]+ MiB\)$/m);
    // The same seed again appends other repos: no name or object id collides.
    const again = await admin(dataDir, ["generate-catalog", "--models", "200", "--datasets", "50", "--spaces", "50"]);
    assert.equal(again.code, 0, again.err);
    assert.equal(sql(dataDir, "SELECT type || ' ' || count(*) FROM repos WHERE synthetic = 1 GROUP BY type ORDER BY type"),
                 "dataset 100\nmodel 400\nspace 100");

    server = await startWharf({ dataDir });
    const res = await curl(`${server.url}/api/models?limit=5&sort=downloads`);
    assert.equal(res.status, 200, res.describe());
    const top = res.json();
    assert.equal(top.length, 5);
    for (let i = 1; i < top.length; i++) assert.ok(top[i - 1].downloads >= top[i].downloads, JSON.stringify(top));
    const most = Number(sql(dataDir, "SELECT max(downloads) FROM repos WHERE type = 'model' AND private = 0"));
    assert.equal(top[0].downloads, most);
    for (const m of top) assert.match(m.id, /^[\w.-]+\/[\w.-]+$/);

    // Every public generated model is listed, and no private one.
    const all = await listAll(`${server.url}/api/models?limit=100`);
    const publicIds = sql(dataDir, "SELECT namespace || '/' || name FROM repos WHERE type = 'model' AND private = 0")
      .split("\n");
    assert.deepEqual(all.map((m) => m.id).sort(), publicIds.sort());
  } finally {
    await server?.stop({ keepData: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("RefusesAbsurdOrMissingCounts", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "wharf-catalog-"));
  try {
    const huge = await admin(dataDir, ["generate-catalog", "--models", "10000001"]);
    assert.equal(huge.code, 2);
    assert.match(huge.err, /--models 10000001 is too many: at most 10000000 per type/);
    const word = await admin(dataDir, ["generate-catalog", "--spaces", "lots"]);
    assert.equal(word.code, 2);
    assert.match(word.err, /--spaces must be a non-negative integer, not 'lots'/);
    const none = await admin(dataDir, ["generate-catalog"]);
    assert.equal(none.code, 1);
    assert.match(none.err, /Nothing to generate/);
    const stray = await admin(dataDir, ["generate-catalog", "extra", "--models", "1"]);
    assert.equal(stray.code, 2);
    assert.match(stray.err, /usage: wharf admin generate-catalog/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
