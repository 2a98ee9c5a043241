// The "Files and versions" and history pages at the HTTP level: folders at a branch, a tag and a
// commit, breadcrumbs, LFS badges with the real size, a file's text view (HTML in the file shown
// escaped), binary and LFS files, paths with spaces and non-ASCII letters, the history's pages,
// a commit's diff (added, modified, deleted, LFS, binary), private and gated repos, missing
// revisions and paths, and the writer's buttons.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import http from "node:http";
import { join } from "node:path";

import { startWharf } from "../lib/wharf.mjs";
import { bearer, curl } from "../lib/curl.mjs";
import { commit, createRepo, fileOp, lfsOp, lfsUpload, sha256 } from "../lib/hub_ops.mjs";
import { Browser } from "../lib/web_session.mjs";

let server;
const R = "/admin/files";
const WEIGHTS = Buffer.alloc(3000, 7);
const BINARY = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2, 3]);
const PAGE = '<script>alert("owned")</script>\n<b>bold</b> & more\n';
const ODD_DIR = "dir with space";
const ODD_FILE = "naïve файл #1.txt";
const c = {};  // commit shas by name

before(async () => {
  server = await startWharf();
  await createRepo(server, "files");
  const w = await lfsUpload(server, "files", WEIGHTS);
  c.first = await commit(server, "files", "Add the files", [
    fileOp("README.md", "# Files\n\nA *test* repo.\n"),
    fileOp("page.html", PAGE),
    fileOp("a/b/deep.txt", "one\ntwo\nthree\n"),
    fileOp("a/top.txt", "top\n"),
    fileOp("old.txt", "to be deleted\n"),
    fileOp(`${ODD_DIR}/${ODD_FILE}`, "unicode path\n"),
    fileOp("blob.bin", BINARY),
    lfsOp("weights.bin", w.oid, w.size),
  ]);
  const w2 = await lfsUpload(server, "files", Buffer.alloc(5000, 9));
  c.second = await commit(server, "files", "Change <things>", [
    fileOp("a/b/deep.txt", "one\n2\nthree\nfour\n"),
    fileOp("new.txt", "brand new\n"),
    { key: "deletedFile", value: { path: "old.txt" } },
    fileOp("blob.bin", Buffer.concat([BINARY, BINARY])),
    lfsOp("weights.bin", w2.oid, w2.size),
  ]);
  await api("POST", "/api/models/admin/files/tag/" + c.first, { tag: "v1" });
  await api("POST", "/api/models/admin/files/branch/dev", { startingPoint: c.first });
  c.dev = await commit(server, "files", "Only on dev", [fileOp("dev-only.txt", "dev\n")], { rev: "dev" });
});

after(async () => server?.stop());

async function api(method, path, body) {
  const res = await curl(server.url + path, {
    method, headers: { ...bearer(server.token), "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, res.describe());
}

// A page as a browser gets it (anonymous unless `browser` is given), redirects not followed.
async function page(path, browser) {
  if (browser) return browser.get(path);
  const res = await fetch(server.url + path, { redirect: "manual" });
  res.html = await res.text();
  return res;
}

const decode = (s) => s.replace(/&#x2F;/g, "/").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<")
  .replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const text = (html) => decode(html.replace(/<[^>]*>/g, "")).replace(/\s+/g, " ").trim();

// The links of `html` as {href, text}, both decoded.
function links(html) {
  return [...html.matchAll(/<a\b([^>]*)>([\s\S]*?)<\/a>/g)].map(([, attrs, inner]) => ({
    href: decode(attrs.match(/href="([^"]*)"/)?.[1] ?? ""),
    text: text(inner),
  }));
}
const hrefOf = (html, linkText) => links(html).find((l) => l.text === linkText)?.href;

// The rows of the folder table: [name, size, last commit title, lfs?].
function entries(html) {
  const body = html.match(/<table class="files"[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? "";
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) => {
    const cells = [...row.matchAll(/<td class="(\w+)">([\s\S]*?)<\/td>/g)].map(([, cls, inner]) => [cls, inner]);
    const cell = (cls) => cells.find(([k]) => k === cls)?.[1] ?? "";
    const name = links(cell("name"))[0];
    return { name: name.text, href: name.href, size: text(cell("size")), commit: links(cell("msg"))[0],
             lfs: /badge lfs/.test(cell("name")) };
  });
}

test("FolderAtABranchListsFoldersFirstWithSizesLfsBadgeAndLastCommits", async () => {
  const res = await page(`${R}/tree/main`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type"), /^text\/html/);
  const rows = entries(res.html);
  assert.deepEqual(rows.map((r) => r.name),
                   ["a", ODD_DIR, ".gitattributes", "README.md", "blob.bin", "new.txt", "page.html", "weights.bin"]);
  assert.equal(rows[0].href, `${R}/tree/main/a`);
  assert.equal(rows[0].size, "");
  assert.equal(rows[1].href, `${R}/tree/main/dir%20with%20space`);
  const weights = rows.find((r) => r.name === "weights.bin");
  assert.equal(weights.href, `${R}/blob/main/weights.bin`);
  assert.ok(weights.lfs, "weights.bin has the LFS badge");
  assert.equal(weights.size, "5.00 kB", "an LFS file shows its real size, not the pointer's");
  assert.deepEqual(weights.commit, { href: `${R}/commit/${c.second}`, text: "Change <things>" });
  const readme = rows.find((r) => r.name === "README.md");
  assert.ok(!readme.lfs);
  assert.equal(readme.size, "24 Bytes");
  assert.deepEqual(readme.commit, { href: `${R}/commit/${c.first}`, text: "Add the files" });
  assert.ok(!res.html.includes("Change <things>"), "commit titles are escaped");
  // The latest commit and the history link; no upload button for anonymous callers.
  assert.match(text(res.html), new RegExp(`admin Change <things> ${c.second.slice(0, 7)}`));
  assert.equal(hrefOf(res.html, "3 commits"), `${R}/commits/main`);
  assert.equal(hrefOf(res.html, "Upload files"), undefined);
  // The switcher links to the same folder at each branch and tag.
  assert.equal(hrefOf(res.html, "dev"), `${R}/tree/dev`);
  assert.equal(hrefOf(res.html, "v1"), `${R}/tree/v1`);
  assert.match(res.html, /<summary aria-label="Switch branch or tag, now main">/);
});

test("FolderAtATagABranchAndACommitShowsThatVersion", async () => {
  const atTag = entries((await page(`${R}/tree/v1`)).html);
  assert.ok(atTag.some((r) => r.name === "old.txt"), "the tag still has old.txt");
  assert.ok(!atTag.some((r) => r.name === "new.txt"));
  assert.equal(atTag.find((r) => r.name === "weights.bin").size, "3.00 kB");
  assert.equal(atTag.find((r) => r.name === "a").href, `${R}/tree/v1/a`);

  const atCommit = await page(`${R}/tree/${c.first}`);
  assert.equal(atCommit.status, 200);
  assert.deepEqual(entries(atCommit.html).map((r) => r.name), atTag.map((r) => r.name));
  assert.match(atCommit.html, new RegExp(`now ${c.first.slice(0, 7)}"`), "a commit is named by its short sha");
  const short = await page(`${R}/tree/${c.first.slice(0, 10)}`);
  assert.equal(short.status, 200);

  const dev = entries((await page(`${R}/tree/dev`)).html);
  assert.ok(dev.some((r) => r.name === "dev-only.txt"));
  assert.ok(!entries((await page(`${R}/tree/main`)).html).some((r) => r.name === "dev-only.txt"));
});

test("NestedFoldersHaveBreadcrumbsAndAFilePathRedirectsToItsPage", async () => {
  const res = await page(`${R}/tree/main/a/b`);
  assert.equal(res.status, 200);
  assert.deepEqual(entries(res.html).map((r) => [r.name, r.href]), [["deep.txt", `${R}/blob/main/a/b/deep.txt`]]);
  const crumbs = res.html.match(/<nav class="crumbs"[\s\S]*?<\/nav>/)[0];
  assert.deepEqual(links(crumbs), [{ href: `${R}/tree/main`, text: "files" }, { href: `${R}/tree/main/a`, text: "a" }]);
  assert.match(crumbs, /<span aria-current="page">b<\/span>/);
  assert.equal(hrefOf(res.html, "main"), `${R}/tree/main/a/b`, "the switcher keeps the folder");

  const file = await page(`${R}/tree/main/a/top.txt`);
  assert.equal(file.status, 303);
  assert.equal(file.headers.get("location"), `${R}/blob/main/a/top.txt`);
  const dir = await page(`${R}/blob/main/a`);
  assert.equal(dir.status, 303);
  assert.equal(dir.headers.get("location"), `${R}/tree/main/a`);
});

test("TextFileIsShownNumberedWithItsHtmlEscaped", async () => {
  const res = await page(`${R}/blob/main/page.html`);
  assert.equal(res.status, 200);
  assert.ok(!res.html.includes("<script>alert"), "the file's script is not in the page as markup");
  assert.ok(!res.html.includes("<b>bold"), "the file's markup is not in the page");
  assert.match(res.html, /<tr id="L1"><td class="ln"><a href="#L1">1<\/a><\/td><td class="text">&lt;script&gt;alert\(&quot;owned&quot;\)&lt;\/script&gt;<\/td><\/tr>/);
  assert.match(res.html, /<tr id="L2">.*&lt;b&gt;bold&lt;\/b&gt; &amp; more<\/td><\/tr>/);
  assert.ok(!res.html.includes('id="L3"'), "a final newline ends the last line");
  const blobSha = createHash("sha1").update(`blob ${Buffer.byteLength(PAGE)}\0${PAGE}`).digest("hex");
  assert.match(text(res.html), new RegExp(`Git blob sha ${blobSha}`));
  assert.equal(hrefOf(res.html, "Download"), `${R}/resolve/main/page.html`);
  assert.equal(hrefOf(res.html, "raw"), `${R}/raw/main/page.html`);
  assert.equal(hrefOf(res.html, "History"), `${R}/commits/main`);
  assert.equal(hrefOf(res.html, "Edit"), undefined, "no edit link for anonymous callers");
  const download = await fetch(server.url + hrefOf(res.html, "Download"));
  assert.equal(await download.text(), PAGE);
});

test("MarkdownIsRenderedAndItsSourceIsOneClickAway", async () => {
  const res = await page(`${R}/blob/main/README.md`);
  assert.match(res.html, /<article class="card-body markdown"[^>]*><h1>Files<\/h1>\n<p>A <em>test<\/em> repo.<\/p>/);
  const code = await page(hrefOf(res.html, "Code"));
  assert.match(code.html, /<td class="text"># Files<\/td>/);
  assert.ok(!code.html.includes("<h1>Files"));
});

test("LfsFileShowsItsRealSizeAndSha256WithoutContent", async () => {
  const res = await page(`${R}/blob/main/weights.bin`);
  assert.equal(res.status, 200);
  const t = text(res.html);
  assert.match(t, /5\.00 kB LFS/);
  assert.match(t, new RegExp(`LFS sha256 ${sha256(Buffer.alloc(5000, 9))}`));
  assert.match(t, /stored with Git LFS/);
  assert.ok(!res.html.includes('<table class="code"'));
  const download = await fetch(server.url + hrefOf(res.html, "Download"));
  assert.equal(Buffer.from(await download.arrayBuffer()).length, 5000);
});

test("BinaryFileIsNotShownAsText", async () => {
  const res = await page(`${R}/blob/main/blob.bin`);
  assert.equal(res.status, 200);
  assert.match(text(res.html), /This is a binary file/);
  assert.ok(!res.html.includes('<table class="code"'));
  assert.equal(hrefOf(res.html, "Download"), `${R}/resolve/main/blob.bin`);
});

test("PathsWithSpacesAndNonAsciiLettersAreEncodedInEveryLink", async () => {
  const encodedDir = "dir%20with%20space";
  const encodedFile = encodeURIComponent(ODD_FILE);
  const folder = await page(`${R}/tree/main/${encodedDir}`);
  assert.equal(folder.status, 200);
  const [row] = entries(folder.html);
  assert.equal(row.name, ODD_FILE);
  assert.equal(row.href, `${R}/blob/main/${encodedDir}/${encodedFile}`);
  const file = await page(row.href);
  assert.equal(file.status, 200);
  assert.match(file.html, /<td class="text">unicode path<\/td>/);
  assert.match(file.html, new RegExp(`<span aria-current="page">${ODD_FILE}</span>`));
  const download = hrefOf(file.html, "Download");
  assert.equal(download, `${R}/resolve/main/${encodedDir}/${encodedFile}`);
  assert.equal(await (await fetch(server.url + download)).text(), "unicode path\n");
});

test("HistoryComesFiftyCommitsAPage", async () => {
  await createRepo(server, "long");
  // 51 commits in one git fast-import run (through the API they would take seconds).
  let stream = "";
  for (let i = 1; i <= 51; i++) {
    stream += `commit refs/heads/main\ncommitter T <t@example.org> ${1700000000 + i} +0000\ndata ${`Step ${i}`.length}\nStep ${i}\n`;
    if (i === 1) stream += "from refs/heads/main^0\n";
    stream += `M 644 inline n.txt\ndata ${`${i}\n`.length}\n${i}\n\n`;
  }
  const imported = spawnSync("git", [`--git-dir=${join(server.dataDir, "repos/models/admin/long.git")}`, "fast-import", "--quiet"],
                             { input: stream });
  assert.equal(imported.status, 0, imported.stderr.toString());
  const first = await page("/admin/long/commits/main");
  assert.equal(first.status, 200);
  const titles = (html) => [...html.matchAll(/<a class="title" href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]);
  const newest = titles(first.html);
  assert.equal(newest.length, 50);
  assert.equal(newest[0], "Step 51");
  assert.equal(newest[49], "Step 2");
  assert.match(text(first.html), /52 commits/);
  assert.match(text(first.html), /Page 1 of 2/);
  assert.equal(hrefOf(first.html, "← Newer"), undefined);
  const older = hrefOf(first.html, "Older →");
  assert.equal(older, "/admin/long/commits/main?p=1");

  const second = await page(older);
  assert.deepEqual(titles(second.html), ["Step 1", "initial commit"]);
  assert.equal(hrefOf(second.html, "← Newer"), "/admin/long/commits/main");
  assert.equal(hrefOf(second.html, "Older →"), undefined);
  const sha = second.html.match(/aria-label="Commit ([0-9a-f]{7})"/)[1];
  assert.equal(links(second.html).find((l) => l.text === sha).href.slice(0, "/admin/long/commit/".length + 7),
               `/admin/long/commit/${sha}`);

  for (const p of ["2", "-1", "x"]) assert.equal((await page(`/admin/long/commits/main?p=${p}`)).status, 404, `p=${p}`);
});

test("CommitPageShowsTheDiffAgainstItsParent", async () => {
  const res = await page(`${R}/commit/${c.second}`);
  assert.equal(res.status, 200);
  const t = text(res.html);
  assert.match(t, /Change <things>/);
  assert.ok(!res.html.includes("Change <things>"));
  assert.match(t, /5 files changed with 3 additions and 2 deletions/, "LFS pointers and binary files count no lines");
  assert.equal(hrefOf(res.html, c.first.slice(0, 7)), `${R}/commit/${c.first}`, "the parent is linked");
  assert.equal(hrefOf(res.html, "Browse files"), `${R}/tree/${c.second}`);

  const files = Object.fromEntries([...res.html.matchAll(/<section class="file-box diff"[^>]*>([\s\S]*?)<\/section>/g)]
    .map(([, body]) => [text(body.match(/<strong class="mono">([\s\S]*?)<\/strong>/)[1]), body]));
  assert.deepEqual(Object.keys(files).sort(), ["a/b/deep.txt", "blob.bin", "new.txt", "old.txt", "weights.bin"]);
  assert.match(files["a/b/deep.txt"], /badge status-modified/);
  const rows = [...files["a/b/deep.txt"].matchAll(/<tr class="(\w+)"><td class="ln">(\d*)<\/td><td class="ln">(\d*)<\/td><td class="text">([^<]*)<\/td><\/tr>/g)]
    .map(([, kind, o, n, s]) => `${kind} ${o}|${n} ${s}`);
  assert.deepEqual(rows, ["hunk | @@ -1,3 +1,4 @@", "ctx 1|1  one", "del 2| -two", "add |2 +2", "ctx 3|3  three", "add |4 +four"]);
  assert.match(files["new.txt"], /badge status-added/);
  assert.match(files["new.txt"], /<tr class="add"><td class="ln"><\/td><td class="ln">1<\/td><td class="text">\+brand new<\/td><\/tr>/);
  assert.match(files["old.txt"], /badge status-deleted/);
  assert.match(files["old.txt"], /<td class="text">-to be deleted<\/td>/);
  assert.match(text(files["weights.bin"]), /LFS file: 3\.00 kB → 5\.00 kB/);
  assert.ok(!files["weights.bin"].includes("oid sha256"), "the pointer's text is not shown");
  assert.match(text(files["blob.bin"]), /Binary file: 9 Bytes → 18 Bytes/);

  // The first commit has no parent: everything is added.
  const root = (await page(`/admin/long/commits/main?p=1`)).html.match(/href="([^"]*)">initial commit</)[1];
  const rootPage = await page(decode(root));
  assert.match(text(rootPage.html), /the first commit/);
  assert.match(rootPage.html, /badge status-added/);
});

test("PrivateRepoPagesAreNotFoundForAnonymousCallers", async () => {
  await createRepo(server, "secret", { private: true });
  for (const p of ["/tree/main", "/blob/main/.gitattributes", "/commits/main", "/commit/main"]) {
    const res = await page(`/admin/secret${p}`);
    assert.equal(res.status, 404, p);
    assert.match(res.html, /<title>Not found · wharf<\/title>/);
    assert.match(res.html, /log in<\/a> to see it/);
  }
});

test("GatedRepoShowsFilesButNotTheirContentWithoutAccess", async () => {
  await createRepo(server, "gated");
  const sha = await commit(server, "gated", "Secret text", [fileOp("secret.txt", "the secret\n")]);
  await curl(`${server.url}/api/models/admin/gated/settings`, {
    method: "PUT", headers: { ...bearer(server.token), "Content-Type": "application/json" }, body: JSON.stringify({ gated: "auto" }),
  });
  const tree = await page("/admin/gated/tree/main");
  assert.equal(tree.status, 200);
  assert.ok(entries(tree.html).some((r) => r.name === "secret.txt"));
  const blob = await page("/admin/gated/blob/main/secret.txt");
  assert.equal(blob.status, 200);
  assert.ok(!blob.html.includes("the secret"));
  assert.equal(hrefOf(blob.html, "Download"), undefined);
  assert.match(text(blob.html), /shown to users with access/);
  const diff = await page(`/admin/gated/commit/${sha}`);
  assert.equal(diff.status, 200);
  assert.ok(!diff.html.includes("the secret"));
  assert.match(diff.html, /secret\.txt/);
});

test("MissingRevisionsAndPathsAreNotFoundPages", async () => {
  for (const p of [`/commit/${"0".repeat(40)}`, "/commit/nothex", "/tree/no-such-branch", "/blob/main/missing.txt",
                   "/tree/main/missing", "/commits/nope"]) {
    const res = await page(`${R}${p}`);
    assert.equal(res.status, 404, p);
    assert.match(res.html, /<title>Not found · wharf<\/title>/, p);
  }
  // fetch would resolve the dot segments before sending.
  const dots = await new Promise((resolve, reject) =>
    http.get({ host: "127.0.0.1", port: server.port, path: `${R}/blob/main/a/%2E%2E/page.html` },
             (res) => { res.resume(); resolve(res.statusCode); }).on("error", reject));
  assert.equal(dots, 404);
});

test("WritersGetUploadAndEditLinksOnBranchesOnly", async () => {
  const alice = new Browser(server);
  assert.equal((await alice.signUp("alice")).status, 303);
  const tokens = await alice.get("/settings/tokens");
  const made = await alice.post("/settings/tokens", { csrf: tokens.html.match(/name="csrf" value="([^"]*)"/g).at(-1).match(/value="([^"]*)"/)[1],
                                                      name: "t", role: "write", expires_days: "30" });
  const token = made.html.match(/value="(hf_[A-Za-z0-9]+)"/)[1];
  const created = await curl(`${server.url}/api/repos/create`, {
    method: "POST", headers: { ...bearer(token), "Content-Type": "application/json" }, body: JSON.stringify({ name: "mine" }),
  });
  assert.equal(created.status, 200, created.describe());
  const res = await curl(`${server.url}/api/models/alice/mine/commit/main`, {
    method: "POST", headers: { ...bearer(token), "Content-Type": "application/x-ndjson" },
    body: [{ key: "header", value: { summary: "notes" } }, fileOp("notes.txt", "hi\n"), fileOp("w.bin", BINARY)]
      .map((l) => JSON.stringify(l)).join("\n") + "\n",
  });
  assert.equal(res.status, 200, res.describe());
  const sha = res.json().commitOid;

  const tree = await page("/alice/mine/tree/main", alice);
  assert.equal(hrefOf(tree.html, "Upload files"), "/alice/mine/upload/main");
  const blob = await page("/alice/mine/blob/main/notes.txt", alice);
  assert.equal(hrefOf(blob.html, "Edit"), "/alice/mine/edit/main/notes.txt");
  assert.equal(hrefOf((await page("/alice/mine/blob/main/w.bin", alice)).html, "Edit"), undefined, "binary files are not edited");
  // At a commit there is no branch to commit to.
  assert.equal(hrefOf((await page(`/alice/mine/tree/${sha}`, alice)).html, "Upload files"), undefined);
  assert.equal(hrefOf((await page(`/alice/mine/blob/${sha}/notes.txt`, alice)).html, "Edit"), undefined);
  // Others see neither.
  assert.equal(hrefOf((await page("/alice/mine/tree/main")).html, "Upload files"), undefined);
  assert.equal(hrefOf((await page("/alice/mine/blob/main/notes.txt")).html, "Edit"), undefined);
});

test("EveryPageAnswersQuicklyAndToHead", async () => {
  for (const p of [`${R}/tree/main`, `${R}/tree/main/a/b`, `${R}/blob/main/page.html`, `${R}/commits/main`,
                   `${R}/commit/${c.second}`]) {
    const started = performance.now();
    const get = await page(p);
    const ms = performance.now() - started;
    assert.equal(get.status, 200, p);
    assert.ok(ms < 2000, `${p} took ${ms} ms`);
    const head = await fetch(server.url + p, { method: "HEAD" });
    assert.equal(head.status, 200, p);
  }
});
