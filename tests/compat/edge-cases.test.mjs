// Less travelled paths of @huggingface/hub against a real wharf: odd names, empty files, prefixed
// repo types, ranges, pagination, stale parents, .gitattributes overrides and the cache download.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, readlinkSync, lstatSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as hub from "@huggingface/hub";
import { startWharf } from "../lib/wharf.mjs";
import { downloadBytes, isApiError } from "../lib/js_client.mjs";
import { patternBytes, sha256Hex, gitBlobSha, lfsPointer, collect, blobBytes } from "../lib/content.mjs";

let server;
let creds;

before(async () => {
  server = await startWharf();
  creds = { hubUrl: server.url, accessToken: server.token };
});

after(async () => {
  await server?.stop();
});

const download = (params) => downloadBytes(creds, params);

test("PathsWithSpacesAndUnicodeRoundTrip", async () => {
  const repo = "admin/odd-names";
  await hub.createRepo({ ...creds, repo });
  const files = {
    "with space/file name.txt": Buffer.from("spaces\n"),
    "données/été (1).txt": Buffer.from("unicode\n"),
    "a+b/c&d=e,f.txt": Buffer.from("reserved characters\n"),
  };
  await hub.uploadFiles({ ...creds, repo, files: Object.entries(files).map(([path, b]) => ({ path, content: new Blob([b]) })) });
  const listed = await collect(hub.listFiles({ ...creds, repo, recursive: true }));
  assert.deepEqual(listed.filter((e) => e.type === "file").map((e) => e.path).sort(),
                   [".gitattributes", ...Object.keys(files)].sort());
  for (const [path, bytes] of Object.entries(files)) {
    assert.deepEqual(await download({ repo, path }), bytes, path);
    assert.equal(await hub.fileExists({ ...creds, repo, path }), true, path);
    const [info] = await hub.pathsInfo({ ...creds, repo, paths: [path] });
    assert.equal(info?.oid, gitBlobSha(bytes), path);
  }
  const sub = await collect(hub.listFiles({ ...creds, repo, path: "with space" }));
  assert.deepEqual(sub.map((e) => e.path), ["with space/file name.txt"]);
});

test("EmptyFileRoundTrips", async () => {
  const repo = "admin/empty-file";
  await hub.createRepo({ ...creds, repo });
  await hub.uploadFiles({ ...creds, repo, files: [{ path: "pkg/__init__.py", content: new Blob([]) }] });
  const info = await hub.fileDownloadInfo({ ...creds, repo, path: "pkg/__init__.py" });
  assert.equal(info.size, 0);
  assert.equal(info.etag, `"${gitBlobSha(Buffer.alloc(0))}"`);
  assert.equal((await download({ repo, path: "pkg/__init__.py" })).length, 0);
  const [entry] = await hub.pathsInfo({ ...creds, repo, paths: ["pkg/__init__.py"] });
  assert.equal(entry.size, 0);
  assert.equal(entry.oid, gitBlobSha(Buffer.alloc(0)));
});

test("DatasetAndSpaceFilesRoundTrip", async () => {
  const bytes = patternBytes(200 * 1024, 77);
  for (const type of ["dataset", "space"]) {
    const repo = { type, name: `admin/${type}-files` };
    await hub.createRepo({ ...creds, repo });
    const out = await hub.uploadFiles({
      ...creds,
      repo,
      files: [{ path: "data/train.parquet", content: new Blob([bytes]) }, { path: "index.html", content: new Blob(["<p>hi</p>"]) }],
    });
    const prefix = `${type}s/`;
    assert.equal(out.commit.url, `${server.url}/${prefix}admin/${type}-files/commit/${out.commit.oid}`);
    assert.deepEqual(await download({ repo, path: "data/train.parquet" }), bytes);
    assert.equal((await download({ repo, path: "index.html" })).toString(), "<p>hi</p>");
    const info = await hub.fileDownloadInfo({ ...creds, repo, path: "data/train.parquet" });
    assert.equal(info.etag, `"${sha256Hex(bytes)}"`);
    assert.equal(await hub.fileExists({ ...creds, repo, path: "data/train.parquet" }), true);
    assert.equal(await hub.fileExists({ ...creds, repo, path: "data/test.parquet" }), false);
    const [entry] = await hub.pathsInfo({ ...creds, repo, paths: ["data/train.parquet"] });
    assert.equal(entry.lfs.oid, sha256Hex(bytes));
    const listed = await collect(hub.listFiles({ ...creds, repo, path: "data" }));
    assert.deepEqual(listed.map((e) => e.path), ["data/train.parquet"]);
    assert.equal(await hub.countCommits({ ...creds, repo }), 2);
  }
  // A model of the same name does not exist.
  assert.equal(await hub.fileExists({ ...creds, repo: "admin/dataset-files", path: "index.html" }), false);
});

test("DownloadedBlobSlicesUseRanges", async () => {
  const repo = "admin/ranges";
  await hub.createRepo({ ...creds, repo });
  const bytes = patternBytes(3 * 1024 * 1024, 13);
  await hub.uploadFiles({ ...creds, repo, files: [{ path: "blob.bin", content: new Blob([bytes]) }] });
  const blob = await hub.downloadFile({ ...creds, repo, path: "blob.bin" });
  assert.equal(blob.size, bytes.length);
  assert.deepEqual(await blobBytes(blob.slice(100, 200)), bytes.subarray(100, 200));
  assert.deepEqual(await blobBytes(blob.slice(bytes.length - 10)), bytes.subarray(bytes.length - 10));
  assert.deepEqual(await blobBytes(blob.slice(1024 * 1024, 2 * 1024 * 1024 + 1)), bytes.subarray(1024 * 1024, 2 * 1024 * 1024 + 1));
});

test("ListFilesFollowsLinkPagination", async () => {
  const repo = "admin/many-files";
  await hub.createRepo({ ...creds, repo });
  const count = 1030;
  const names = Array.from({ length: count }, (_, i) => `f/${String(i).padStart(4, "0")}.txt`);
  // One shared content keeps the commit to a single blob (each git object costs an fsync).
  const same = new Blob(["same content\n"]);
  await hub.uploadFiles({ ...creds, repo, files: names.map((path) => ({ path, content: same })) });
  const pages = [];
  const countingFetch = async (url, init) => {
    pages.push(String(url));
    return fetch(url, init);
  };
  const listed = await collect(hub.listFiles({ ...creds, repo, path: "f", fetch: countingFetch }));
  assert.deepEqual(listed.map((e) => e.path), names);
  assert.ok(pages.length >= 2, `expected several pages, got ${pages.length}`);
  pages.length = 0;
  const expanded = await collect(hub.listFiles({ ...creds, repo, path: "f", expand: true, fetch: countingFetch }));
  assert.equal(expanded.length, count);
  assert.equal(new Set(expanded.map((e) => e.path)).size, count);
  assert.ok(expanded.every((e) => /^[0-9a-f]{40}$/.test(e.lastCommit?.id ?? "")));
  assert.ok(pages.length >= 2, `expected several expand pages, got ${pages.length}`);
  const recursive = await collect(hub.listFiles({ ...creds, repo, recursive: true }));
  assert.equal(recursive.filter((e) => e.type === "file").length, count + 1);
});

test("CommitWithStaleParentCommitFailsWith412", async () => {
  const repo = "admin/stale";
  await hub.createRepo({ ...creds, repo });
  const first = await hub.uploadFiles({ ...creds, repo, files: [{ path: "a.txt", content: new Blob(["1"]) }] });
  const second = await hub.uploadFiles({
    ...creds, repo, parentCommit: first.commit.oid, files: [{ path: "a.txt", content: new Blob(["2"]) }],
  });
  await assert.rejects(
    hub.uploadFiles({ ...creds, repo, parentCommit: first.commit.oid, files: [{ path: "a.txt", content: new Blob(["3"]) }] }),
    (e) => isApiError(412)(e) && /A commit has happened since/.test(e.message));
  assert.equal((await download({ repo, path: "a.txt" })).toString(), "2");
  assert.equal((await collect(hub.listCommits({ ...creds, repo })))[0].oid, second.commit.oid);
});

test("GitattributesInSameCommitDecidesLfs", async () => {
  const repo = "admin/attrs";
  await hub.createRepo({ ...creds, repo });
  const attrs = "*.dat filter=lfs diff=lfs merge=lfs -text\n";
  const small = Buffer.from("tiny but tracked\n");
  await hub.uploadFiles({
    ...creds,
    repo,
    files: [{ path: ".gitattributes", content: new Blob([attrs]) }, { path: "x.dat", content: new Blob([small]) },
            { path: "x.txt", content: new Blob([small]) }],
  });
  const info = Object.fromEntries((await hub.pathsInfo({ ...creds, repo, paths: ["x.dat", "x.txt"] })).map((e) => [e.path, e]));
  assert.deepEqual(info["x.dat"].lfs, { oid: sha256Hex(small), size: small.length, pointerSize: lfsPointer(small).length });
  assert.equal(info["x.txt"].lfs, undefined);
  assert.equal((await download({ repo, path: "x.dat", raw: true })).toString(), lfsPointer(small));
  assert.deepEqual(await download({ repo, path: "x.dat" }), small);
  assert.equal((await download({ repo, path: ".gitattributes" })).toString(), attrs);
});

test("UploadFileAndDeleteFilesHelpers", async () => {
  const repo = "admin/helpers";
  await hub.createRepo({ ...creds, repo });
  await hub.uploadFile({ ...creds, repo, file: { path: "one.txt", content: new Blob(["one"]) } });
  await hub.uploadFile({ ...creds, repo, file: { path: "two.txt", content: new Blob(["two"]) }, commitTitle: "second" });
  await hub.uploadFile({ ...creds, repo, file: { path: "three.txt", content: new Blob(["three"]) } });
  await hub.deleteFiles({ ...creds, repo, paths: ["one.txt", "two.txt"], commitTitle: "drop two" });
  const files = await collect(hub.listFiles({ ...creds, repo }));
  assert.deepEqual(files.map((f) => f.path).sort(), [".gitattributes", "three.txt"]);
  const titles = (await collect(hub.listCommits({ ...creds, repo }))).map((c) => c.title);
  assert.equal(titles[0], "drop two");
  assert.equal(titles[2], "second");
  assert.equal(titles.length, 5);
});

test("SnapshotDownloadFillsCacheDir", async () => {
  const repo = { type: "dataset", name: "admin/snapshot" };
  await hub.createRepo({ ...creds, repo });
  const lfsBytes = patternBytes(500 * 1024, 21);
  const text = Buffer.from("a,b\n1,2\n");
  const out = await hub.uploadFiles({
    ...creds,
    repo,
    files: [{ path: "data/x.parquet", content: new Blob([lfsBytes]) }, { path: "data/sub/y.csv", content: new Blob([text]) }],
  });
  const cacheDir = mkdtempSync(join(tmpdir(), "wharf-cache-"));
  try {
    const folder = await hub.snapshotDownload({ ...creds, repo, cacheDir });
    assert.equal(folder, join(cacheDir, "datasets--admin--snapshot", "snapshots", out.commit.oid));
    assert.deepEqual(readFileSync(join(folder, "data/x.parquet")), lfsBytes);
    assert.deepEqual(readFileSync(join(folder, "data/sub/y.csv")), text);
    assert.ok(lstatSync(join(folder, "data/x.parquet")).isSymbolicLink());
    assert.ok(readlinkSync(join(folder, "data/x.parquet")).endsWith(sha256Hex(lfsBytes)));
    assert.ok(realpathSync(join(folder, "data/sub/y.csv")).endsWith(gitBlobSha(text)));
    assert.equal(readFileSync(join(cacheDir, "datasets--admin--snapshot", "refs", "main"), "utf8"), out.commit.oid);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test("ConcurrentCommitsToOneBranchAllLand", async () => {
  const repo = "admin/concurrent";
  await hub.createRepo({ ...creds, repo });
  const blobs = Array.from({ length: 6 }, (_, i) => patternBytes(64 * 1024 + i, 100 + i));
  const outs = await Promise.all(blobs.map((bytes, i) => hub.uploadFiles({
    ...creds,
    repo,
    commitTitle: `upload ${i}`,
    files: [{ path: `c${i}.bin`, content: new Blob([bytes]) }, { path: `c${i}.txt`, content: new Blob([`text ${i}`]) }],
  })));
  assert.equal(new Set(outs.map((o) => o.commit.oid)).size, blobs.length);
  const commits = await collect(hub.listCommits({ ...creds, repo }));
  assert.equal(commits.length, blobs.length + 1);
  assert.deepEqual(new Set(commits.slice(0, -1).map((c) => c.oid)), new Set(outs.map((o) => o.commit.oid)));
  for (const [i, bytes] of blobs.entries()) {
    assert.deepEqual(await download({ repo, path: `c${i}.bin` }), bytes);
    assert.equal((await download({ repo, path: `c${i}.txt` })).toString(), `text ${i}`);
  }
});

test("RecreatedRepoAcceptsTheSameLfsObjectAgain", async () => {
  const repo = "admin/phoenix";
  const bytes = patternBytes(256 * 1024, 8);
  await hub.createRepo({ ...creds, repo });
  await hub.uploadFiles({ ...creds, repo, files: [{ path: "w.bin", content: new Blob([bytes]) }] });
  await hub.deleteRepo({ ...creds, repo });
  await hub.createRepo({ ...creds, repo });
  assert.deepEqual((await collect(hub.listFiles({ ...creds, repo }))).map((f) => f.path), [".gitattributes"]);
  await hub.uploadFiles({ ...creds, repo, files: [{ path: "w.bin", content: new Blob([bytes]) }] });
  assert.deepEqual(await download({ repo, path: "w.bin" }), bytes);
  // The same object under a second name in another repo needs no new transfer and downloads whole.
  await hub.createRepo({ ...creds, repo: "admin/phoenix-copy" });
  await hub.uploadFiles({ ...creds, repo: "admin/phoenix-copy", files: [{ path: "copy.bin", content: new Blob([bytes]) }] });
  assert.deepEqual(await download({ repo: "admin/phoenix-copy", path: "copy.bin" }), bytes);
});
