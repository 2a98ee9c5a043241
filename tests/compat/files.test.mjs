// Uploads, downloads, listings, branches and history through @huggingface/hub against a real wharf.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as hub from "@huggingface/hub";
import { startWharf } from "../lib/wharf.mjs";
import { downloadBytes, isApiError } from "../lib/js_client.mjs";
import { patternBytes, sha256Hex, gitBlobSha, lfsPointer, collect, blobBytes } from "../lib/content.mjs";

let server;
let creds;

// The repo filled by UploadFilesStoresSmallAndLfsFiles and read by the tests after it.
const REPO = "admin/files";
const config = Buffer.from('{"model_type": "bert", "hidden_size": 8}\n');
const nested = Buffer.from("nested text\n".repeat(40));
const tensors = patternBytes(4096, 7);               // LFS because *.safetensors is tracked
const big = patternBytes(11 * 1024 * 1024 + 17, 42); // LFS because it is over 10 MiB
let firstCommit;

before(async () => {
  server = await startWharf();
  creds = { hubUrl: server.url, accessToken: server.token };
});

after(async () => {
  await server?.stop();
});

const download = (params) => downloadBytes(creds, params);

function byPath(entries) {
  return Object.fromEntries(entries.map((e) => [e.path, e]));
}

test("UploadFilesStoresSmallAndLfsFiles", async () => {
  await hub.createRepo({ ...creds, repo: REPO });
  const out = await hub.uploadFiles({
    ...creds,
    repo: REPO,
    commitTitle: "add files",
    files: [
      { path: "config.json", content: new Blob([config]) },
      { path: "sub/dir/nested.txt", content: new Blob([nested]) },
      { path: "weights/model.safetensors", content: new Blob([tensors]) },
      { path: "big.dat", content: new Blob([big]) },
    ],
  });
  assert.match(out.commit.oid, /^[0-9a-f]{40}$/);
  assert.equal(out.commit.url, `${server.url}/${REPO}/commit/${out.commit.oid}`);
  firstCommit = out.commit.oid;

  const files = byPath(await collect(hub.listFiles({ ...creds, repo: REPO, recursive: true })));
  assert.deepEqual(files["config.json"], { type: "file", oid: gitBlobSha(config), size: config.length, path: "config.json" });
  assert.equal(files["sub/dir/nested.txt"].oid, gitBlobSha(nested));
  assert.equal(files["sub/dir/nested.txt"].lfs, undefined);
  for (const [path, bytes] of [["big.dat", big], ["weights/model.safetensors", tensors]]) {
    const pointer = lfsPointer(bytes);
    assert.deepEqual(files[path], {
      type: "file",
      oid: gitBlobSha(Buffer.from(pointer)),
      size: bytes.length,
      path,
      lfs: { oid: sha256Hex(bytes), size: bytes.length, pointerSize: pointer.length },
    });
  }
  // The tree holds the canonical pointer, and .gitattributes tracks the large file.
  assert.equal((await download({ repo: REPO, path: "big.dat", raw: true })).toString(), lfsPointer(big));
  const attributes = (await download({ repo: REPO, path: ".gitattributes" })).toString().split("\n");
  assert.ok(attributes.some((l) => /^\/?big\.dat\s.*filter=lfs/.test(l)), `.gitattributes:\n${attributes.join("\n")}`);
});

test("DownloadFileReturnsIdenticalBytes", async () => {
  assert.deepEqual(await download({ repo: REPO, path: "config.json" }), config);
  assert.deepEqual(await download({ repo: REPO, path: "sub/dir/nested.txt" }), nested);
  assert.deepEqual(await download({ repo: REPO, path: "weights/model.safetensors" }), tensors);
  const got = await download({ repo: REPO, path: "big.dat" });
  assert.equal(got.length, big.length);
  assert.equal(sha256Hex(got), sha256Hex(big));
  assert.equal(await hub.downloadFile({ ...creds, repo: REPO, path: "missing.txt" }), null);
});

test("DownloadFileAtCommitShaReturnsOldContent", async () => {
  const config2 = Buffer.from('{"model_type": "bert", "hidden_size": 16}\n');
  const out = await hub.uploadFiles({ ...creds, repo: REPO, files: [{ path: "config.json", content: new Blob([config2]) }] });
  assert.notEqual(out.commit.oid, firstCommit);
  assert.deepEqual(await download({ repo: REPO, path: "config.json" }), config2);
  assert.deepEqual(await download({ repo: REPO, path: "config.json", revision: out.commit.oid }), config2);
  assert.deepEqual(await download({ repo: REPO, path: "config.json", revision: firstCommit }), config);
  assert.deepEqual(await download({ repo: REPO, path: "sub/dir/nested.txt", revision: firstCommit }), nested);
  // Put the original back for the tests below.
  await hub.uploadFiles({ ...creds, repo: REPO, files: [{ path: "config.json", content: new Blob([config]) }] });
});

test("FileDownloadInfoReportsSizeAndEtag", async () => {
  const lfs = await hub.fileDownloadInfo({ ...creds, repo: REPO, path: "big.dat" });
  assert.equal(lfs.size, big.length);
  assert.equal(lfs.etag, `"${sha256Hex(big)}"`);
  assert.equal(lfs.xet, undefined);
  const regular = await hub.fileDownloadInfo({ ...creds, repo: REPO, path: "sub/dir/nested.txt" });
  assert.equal(regular.size, nested.length);
  assert.equal(regular.etag, `"${gitBlobSha(nested)}"`);
  const old = await hub.fileDownloadInfo({ ...creds, repo: REPO, path: "config.json", revision: firstCommit });
  assert.equal(old.size, config.length);
  assert.equal(old.etag, `"${gitBlobSha(config)}"`);
  assert.equal(await hub.fileDownloadInfo({ ...creds, repo: REPO, path: "missing.txt" }), null);
  assert.equal(await hub.fileDownloadInfo({ ...creds, repo: REPO, path: "sub/missing.txt" }), null);
  await assert.rejects(hub.fileDownloadInfo({ ...creds, repo: REPO, path: "config.json", revision: "no-such-branch" }),
                       isApiError(404));
  await assert.rejects(hub.fileDownloadInfo({ ...creds, repo: "admin/no-such-repo", path: "config.json" }), isApiError(404));
  // raw serves the pointer of an LFS file, and the content of a regular one.
  const pointer = await hub.fileDownloadInfo({ ...creds, repo: REPO, path: "big.dat", raw: true });
  assert.equal(pointer.size, lfsPointer(big).length);
  assert.deepEqual(await download({ repo: REPO, path: "sub/dir/nested.txt", raw: true }), nested);
});

test("FileExistsReportsPresence", async () => {
  assert.equal(await hub.fileExists({ ...creds, repo: REPO, path: "config.json" }), true);
  assert.equal(await hub.fileExists({ ...creds, repo: REPO, path: "big.dat" }), true);
  assert.equal(await hub.fileExists({ ...creds, repo: REPO, path: "sub/dir/nested.txt" }), true);
  assert.equal(await hub.fileExists({ ...creds, repo: REPO, path: "missing.txt" }), false);
  assert.equal(await hub.fileExists({ ...creds, repo: REPO, path: "sub/dir/missing.txt" }), false);
  assert.equal(await hub.fileExists({ ...creds, repo: REPO, path: "config.json", revision: firstCommit }), true);
});

test("ListFilesListsRootSubdirectoryAndRecursively", async () => {
  const root = await collect(hub.listFiles({ ...creds, repo: REPO }));
  assert.deepEqual(root.map((e) => `${e.type}:${e.path}`).sort(), [
    "directory:sub", "directory:weights", "file:.gitattributes", "file:big.dat", "file:config.json",
  ]);
  const sub = byPath(root).sub;
  assert.match(sub.oid, /^[0-9a-f]{40}$/);
  assert.equal(sub.size, 0);

  const all = await collect(hub.listFiles({ ...creds, repo: REPO, recursive: true }));
  assert.deepEqual(all.map((e) => `${e.type}:${e.path}`).sort(), [
    "directory:sub", "directory:sub/dir", "directory:weights", "file:.gitattributes", "file:big.dat",
    "file:config.json", "file:sub/dir/nested.txt", "file:weights/model.safetensors",
  ]);

  const subList = await collect(hub.listFiles({ ...creds, repo: REPO, path: "sub" }));
  assert.deepEqual(subList.map((e) => `${e.type}:${e.path}`), ["directory:sub/dir"]);
  const deep = await collect(hub.listFiles({ ...creds, repo: REPO, path: "sub/dir" }));
  assert.deepEqual(deep.map((e) => ({ type: e.type, path: e.path, size: e.size, oid: e.oid })),
                   [{ type: "file", path: "sub/dir/nested.txt", size: nested.length, oid: gitBlobSha(nested) }]);

  const atFirst = await collect(hub.listFiles({ ...creds, repo: REPO, revision: firstCommit, recursive: true }));
  assert.equal(atFirst.length, all.length);
  await assert.rejects(collect(hub.listFiles({ ...creds, repo: REPO, path: "nope" })), isApiError(404));
  await assert.rejects(collect(hub.listFiles({ ...creds, repo: REPO, revision: "no-such-branch" })), isApiError(404));
});

test("ListFilesExpandAddsLastCommit", async () => {
  const entries = byPath(await collect(hub.listFiles({ ...creds, repo: REPO, expand: true })));
  const commits = await collect(hub.listCommits({ ...creds, repo: REPO }));
  assert.equal(entries["big.dat"].lastCommit.id, firstCommit);
  assert.equal(entries["big.dat"].lastCommit.title, "add files");
  assert.equal(entries["config.json"].lastCommit.id, commits[0].oid);
});

test("PathsInfoReportsEntriesAndLastCommit", async () => {
  const plain = await hub.pathsInfo({ ...creds, repo: REPO, paths: ["config.json", "big.dat", "sub/dir", "missing.txt"] });
  const info = byPath(plain);
  assert.deepEqual(Object.keys(info).sort(), ["big.dat", "config.json", "sub/dir"]);
  assert.equal(info["config.json"].type, "file");
  assert.equal(info["config.json"].oid, gitBlobSha(config));
  assert.equal(info["config.json"].size, config.length);
  assert.equal(info["config.json"].lfs, undefined);
  assert.equal(info["config.json"].lastCommit, undefined);
  assert.deepEqual(info["big.dat"].lfs,
                   { oid: sha256Hex(big), size: big.length, pointerSize: lfsPointer(big).length });
  assert.equal(info["big.dat"].size, big.length);
  assert.equal(info["sub/dir"].type, "directory");

  const expanded = byPath(await hub.pathsInfo({ ...creds, repo: REPO, paths: ["config.json", "big.dat"], expand: true }));
  const head = (await collect(hub.listCommits({ ...creds, repo: REPO })))[0];
  assert.equal(expanded["big.dat"].lastCommit.id, firstCommit);
  assert.equal(expanded["big.dat"].lastCommit.title, "add files");
  assert.ok(expanded["big.dat"].lastCommit.date instanceof Date);
  assert.ok(!Number.isNaN(expanded["big.dat"].lastCommit.date.getTime()));
  assert.equal(expanded["config.json"].lastCommit.id, head.oid);

  const old = byPath(await hub.pathsInfo({ ...creds, repo: REPO, paths: ["config.json"], revision: firstCommit, expand: true }));
  assert.equal(old["config.json"].lastCommit.id, firstCommit);
});

test("CommitWithDeleteOperationRemovesFiles", async () => {
  const repo = "admin/deletions";
  await hub.createRepo({ ...creds, repo });
  const keep = Buffer.from("keep\n");
  const gone = Buffer.from("gone\n");
  const lfsGone = patternBytes(2048, 3);
  const added = await hub.uploadFiles({
    ...creds,
    repo,
    files: [
      { path: "keep.txt", content: new Blob([keep]) },
      { path: "gone.txt", content: new Blob([gone]) },
      { path: "dir/gone.bin", content: new Blob([lfsGone]) },
    ],
  });
  const out = await hub.commit({
    ...creds,
    repo,
    title: "delete two files",
    operations: [
      { operation: "delete", path: "gone.txt" },
      { operation: "delete", path: "dir/gone.bin" },
      { operation: "addOrUpdate", path: "new.txt", content: new Blob(["new\n"]) },
    ],
  });
  assert.match(out.commit.oid, /^[0-9a-f]{40}$/);
  const files = await collect(hub.listFiles({ ...creds, repo, recursive: true }));
  assert.deepEqual(files.map((f) => f.path).sort(), [".gitattributes", "keep.txt", "new.txt"]);
  assert.equal(await hub.fileExists({ ...creds, repo, path: "gone.txt" }), false);
  assert.equal(await hub.fileDownloadInfo({ ...creds, repo, path: "dir/gone.bin" }), null);
  // History still has them.
  assert.deepEqual(await download({ repo, path: "gone.txt", revision: added.commit.oid }), gone);
  assert.deepEqual(await download({ repo, path: "dir/gone.bin", revision: added.commit.oid }), lfsGone);
  const commits = await collect(hub.listCommits({ ...creds, repo }));
  assert.equal(commits[0].title, "delete two files");
  assert.equal(commits[0].oid, out.commit.oid);

  // Deleting a file that is not there is an error and changes nothing.
  await assert.rejects(hub.deleteFile({ ...creds, repo, path: "gone.txt" }), isApiError(404));
  assert.equal((await collect(hub.listCommits({ ...creds, repo })))[0].oid, out.commit.oid);
});

test("CreateBranchCommitToBranchAndDeleteBranch", async () => {
  const repo = "admin/branches";
  await hub.createRepo({ ...creds, repo });
  const base = await hub.uploadFiles({ ...creds, repo, files: [{ path: "a.txt", content: new Blob(["a\n"]) }] });
  await hub.createBranch({ ...creds, repo, branch: "dev" });
  assert.deepEqual((await collect(hub.listFiles({ ...creds, repo, revision: "dev" }))).map((f) => f.path).sort(),
                   [".gitattributes", "a.txt"]);

  const lfsBytes = patternBytes(3000, 11);
  const onDev = await hub.uploadFiles({
    ...creds,
    repo,
    branch: "dev",
    commitTitle: "dev only",
    files: [{ path: "b.txt", content: new Blob(["b\n"]) }, { path: "c.bin", content: new Blob([lfsBytes]) }],
  });
  assert.deepEqual((await collect(hub.listFiles({ ...creds, repo, revision: "dev" }))).map((f) => f.path).sort(),
                   [".gitattributes", "a.txt", "b.txt", "c.bin"]);
  assert.deepEqual((await collect(hub.listFiles({ ...creds, repo }))).map((f) => f.path).sort(), [".gitattributes", "a.txt"]);
  assert.deepEqual(await download({ repo, path: "c.bin", revision: "dev" }), lfsBytes);
  assert.equal(await hub.fileExists({ ...creds, repo, path: "b.txt" }), false);
  assert.equal(await hub.fileExists({ ...creds, repo, path: "b.txt", revision: "dev" }), true);
  const devCommits = await collect(hub.listCommits({ ...creds, repo, revision: "dev" }));
  assert.deepEqual(devCommits.slice(0, 2).map((c) => c.oid), [onDev.commit.oid, base.commit.oid]);
  const devInfo = await hub.modelInfo({ ...creds, name: repo, revision: "dev", additionalFields: ["sha"] });
  assert.equal(devInfo.sha, onDev.commit.oid);

  await assert.rejects(hub.createBranch({ ...creds, repo, branch: "dev" }), isApiError(409));

  // A branch from an older commit, and an empty branch.
  await hub.createBranch({ ...creds, repo, branch: "old", revision: base.commit.oid });
  assert.equal((await collect(hub.listCommits({ ...creds, repo, revision: "old" })))[0].oid, base.commit.oid);
  await hub.createBranch({ ...creds, repo, branch: "empty", empty: true });
  const onEmpty = await hub.uploadFiles({ ...creds, repo, branch: "empty", files: [{ path: "only.txt", content: new Blob(["x"]) }] });
  assert.deepEqual((await collect(hub.listFiles({ ...creds, repo, revision: "empty" }))).map((f) => f.path), ["only.txt"]);
  // Git cannot hold a branch without a commit: the empty branch starts from an orphan commit, unrelated to main.
  const emptyHistory = (await collect(hub.listCommits({ ...creds, repo, revision: "empty" }))).map((c) => c.oid);
  assert.equal(emptyHistory[0], onEmpty.commit.oid);
  assert.ok(emptyHistory.length <= 2, `empty branch history ${emptyHistory}`);
  assert.ok(!emptyHistory.includes(base.commit.oid));
  if (emptyHistory.length === 2) {
    assert.deepEqual(await collect(hub.listFiles({ ...creds, repo, revision: emptyHistory[1] })), []);
  }

  await hub.deleteBranch({ ...creds, repo, branch: "dev" });
  await assert.rejects(collect(hub.listFiles({ ...creds, repo, revision: "dev" })), isApiError(404));
  await assert.rejects(hub.deleteBranch({ ...creds, repo, branch: "dev" }), isApiError(404));
  // Content committed on the deleted branch is still reachable by sha.
  assert.deepEqual(await download({ repo, path: "b.txt", revision: onDev.commit.oid }), Buffer.from("b\n"));
});

test("ListCommitsNewestFirstAndCountCommits", async () => {
  const repo = { type: "dataset", name: "admin/history" };
  await hub.createRepo({ ...creds, repo });
  const oids = [];
  for (const title of ["first", "second", "third"]) {
    const out = await hub.commit({
      ...creds,
      repo,
      title,
      description: `body of ${title}`,
      operations: [{ operation: "addOrUpdate", path: `${title}.txt`, content: new Blob([title]) }],
    });
    oids.unshift(out.commit.oid);
  }
  const commits = await collect(hub.listCommits({ ...creds, repo }));
  assert.deepEqual(commits.map((c) => c.title), ["third", "second", "first", "initial commit"]);
  assert.deepEqual(commits.slice(0, 3).map((c) => c.oid), oids);
  assert.match(commits[0].message, /body of third/);
  assert.equal(commits[0].authors[0].username, "admin");
  for (let i = 1; i < commits.length; i++) assert.ok(commits[i - 1].date >= commits[i].date);
  assert.ok(!Number.isNaN(commits[0].date.getTime()));
  // Small pages follow the Link header and give the same list.
  const paged = await collect(hub.listCommits({ ...creds, repo, batchSize: 1 }));
  assert.deepEqual(paged.map((c) => c.oid), commits.map((c) => c.oid));
  assert.equal(await hub.countCommits({ ...creds, repo }), 4);
  assert.equal(await hub.countCommits({ ...creds, repo, revision: oids[1] }), 3);
});

test("UploadWithoutXetUsesPlainLfs", async () => {
  const repo = "admin/no-xet";
  await hub.createRepo({ ...creds, repo });
  const bytes = patternBytes(300 * 1024, 5);
  const out = await hub.uploadFiles({
    ...creds,
    repo,
    useXet: false,
    files: [{ path: "model.bin", content: new Blob([bytes]) }, { path: "notes.txt", content: new Blob(["notes"]) }],
  });
  assert.match(out.commit.oid, /^[0-9a-f]{40}$/);
  const [entry] = await hub.pathsInfo({ ...creds, repo, paths: ["model.bin"] });
  assert.deepEqual(entry.lfs, { oid: sha256Hex(bytes), size: bytes.length, pointerSize: lfsPointer(bytes).length });
  assert.deepEqual(await download({ repo, path: "model.bin" }), bytes);
  // Uploading the same object again needs no transfer and still commits.
  const again = await hub.uploadFiles({ ...creds, repo, useXet: false, files: [{ path: "copy.bin", content: new Blob([bytes]) }] });
  assert.notEqual(again.commit.oid, out.commit.oid);
  assert.deepEqual(await download({ repo, path: "copy.bin" }), bytes);
});
