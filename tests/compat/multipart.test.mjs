// Multipart LFS uploads through @huggingface/hub, on a server with a small multipart threshold.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as hub from "@huggingface/hub";
import { startWharf } from "../lib/wharf.mjs";
import { patternBytes, sha256Hex, lfsPointer, collect, blobBytes } from "../lib/content.mjs";

const MiB = 1024 * 1024;
let server;
let creds;

before(async () => {
  server = await startWharf({
    env: { WHARF_LFS_MULTIPART_THRESHOLD: String(5 * MiB), WHARF_LFS_MULTIPART_CHUNK_SIZE: String(5 * MiB) },
  });
  creds = { hubUrl: server.url, accessToken: server.token };
});

after(async () => {
  await server?.stop();
});

// Records the requests the client makes, to prove the multipart path was taken.
function recordingFetch(log) {
  return async (url, init) => {
    log.push({ method: init?.method ?? "GET", url: String(url) });
    return fetch(url, init);
  };
}

test("MultipartUploadAssemblesThreeParts", async () => {
  const repo = "admin/multipart";
  await hub.createRepo({ ...creds, repo });
  const bytes = patternBytes(12 * MiB + 12345, 99);
  const log = [];
  const out = await hub.uploadFiles({
    ...creds,
    repo,
    fetch: recordingFetch(log),
    files: [{ path: "weights/model.bin", content: new Blob([bytes]) }],
  });
  assert.match(out.commit.oid, /^[0-9a-f]{40}$/);
  const puts = log.filter((r) => r.method === "PUT");
  assert.equal(puts.length, 3, `PUTs: ${JSON.stringify(puts)}`);
  assert.equal(new Set(puts.map((r) => r.url)).size, 3);
  const posts = log.filter((r) => r.method === "POST").map((r) => new URL(r.url).pathname);
  assert.ok(posts.some((p) => !p.startsWith("/api/") && !p.endsWith("/objects/batch")),
            `no completion POST among ${JSON.stringify(posts)}`);

  const [entry] = await hub.pathsInfo({ ...creds, repo, paths: ["weights/model.bin"] });
  assert.deepEqual(entry.lfs, { oid: sha256Hex(bytes), size: bytes.length, pointerSize: lfsPointer(bytes).length });
  const got = await blobBytes(await hub.downloadFile({ ...creds, repo, path: "weights/model.bin" }));
  assert.equal(got.length, bytes.length);
  assert.ok(got.equals(bytes), "downloaded bytes differ");
  const info = await hub.fileDownloadInfo({ ...creds, repo, path: "weights/model.bin" });
  assert.equal(info.etag, `"${sha256Hex(bytes)}"`);
  assert.equal(info.size, bytes.length);
});

test("SmallFileStaysOnBasicTransfer", async () => {
  const repo = "admin/basic";
  await hub.createRepo({ ...creds, repo });
  const bytes = patternBytes(1 * MiB, 5);
  const log = [];
  await hub.uploadFiles({ ...creds, repo, fetch: recordingFetch(log), files: [{ path: "small.bin", content: new Blob([bytes]) }] });
  assert.equal(log.filter((r) => r.method === "PUT").length, 1);
  assert.ok((await blobBytes(await hub.downloadFile({ ...creds, repo, path: "small.bin" }))).equals(bytes));
  const files = await collect(hub.listFiles({ ...creds, repo }));
  assert.deepEqual(files.map((f) => f.path).sort(), [".gitattributes", "small.bin"]);
});
