// git clone and fetch with the real git and git-lfs clients: every clone URL form of the
// spec (§17.1) for models, datasets and spaces, protocol v0 and v2, LFS files smudged to
// their bytes, and gzip request bodies (git's own, and hand-made ones over curl).
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

import { startWharf } from "../lib/wharf.mjs";
import { curl, bearer } from "../lib/curl.mjs";
import { createRepo, ndjson, fileOp, lfsOp, sha256 } from "../lib/hub_ops.mjs";
import { GitClient, cloneUrl, bareRefs, assertFsckClean, pktLine, FLUSH } from "../lib/git_client.mjs";

const TYPES = [
  { type: "model", prefix: "", name: "public-model", extra: {} },
  { type: "dataset", prefix: "datasets/", name: "public-data", extra: { type: "dataset" } },
  { type: "space", prefix: "spaces/", name: "public-space", extra: { type: "space", sdk: "static" } },
];

let server;
let client;
const heads = {};     // `${type}/${name}` -> main's sha after the fixtures
const weights = {};   // `${type}/${name}` -> {path, bytes} of the LFS file

// Commits `operations` to main of a repo of any type; returns the commit sha.
async function apiCommit(type, name, operations) {
  const res = await fetch(`${server.url}/api/${type}s/admin/${name}/commit/main`, {
    method: "POST",
    headers: { ...bearer(server.token), "Content-Type": "application/x-ndjson" },
    body: ndjson("fixture", operations),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).commitOid;
}

// Uploads `bytes` as an LFS object of any repo type (batch, then PUT); returns its oid.
async function apiLfsUpload(type, name, bytes) {
  const oid = sha256(bytes);
  const res = await fetch(`${server.url}/${type === "model" ? "" : `${type}s/`}admin/${name}.git/info/lfs/objects/batch`, {
    method: "POST",
    headers: { ...bearer(server.token), "Content-Type": "application/vnd.git-lfs+json" },
    body: JSON.stringify({ operation: "upload", transfers: ["basic"], objects: [{ oid, size: bytes.length }] }),
  });
  assert.equal(res.status, 200);
  const obj = (await res.json()).objects[0];
  const put = await fetch(obj.actions.upload.href, { method: "PUT", body: bytes });
  assert.equal(put.status, 200);
  return oid;
}

// Clones `url` into a fresh directory with extra `config` ("-c k=v" pairs); asserts success.
let clones = 0;
async function cloneOk(url, ...config) {
  const dir = client.dir(`clone-${clones++}`);
  await client.ok(client.home, ...config, "clone", "-q", url, dir);
  return dir;
}

describe("git clone and fetch", () => {
  before(async () => {
    server = await startWharf();
    client = await new GitClient().init();
    for (const { type, name, extra } of TYPES) {
      await createRepo(server, name, extra);
      const lfsPath = type === "dataset" ? "data/train.parquet" : "model.safetensors";
      const bytes = randomBytes(256 * 1024 + 3);
      const oid = await apiLfsUpload(type, name, bytes);
      heads[`${type}/${name}`] = await apiCommit(type, name, [
        fileOp(`hello-${type}.txt`, `hello from a ${type}\n`),
        lfsOp(lfsPath, oid, bytes.length),
      ]);
      weights[`${type}/${name}`] = { path: lfsPath, bytes };
    }
    await createRepo(server, "secret", { private: true });
    const secretBytes = randomBytes(100 * 1024);
    const secretOid = await apiLfsUpload("model", "secret", secretBytes);
    heads["model/secret"] = await apiCommit("model", "secret", [
      fileOp("secret.txt", "for the owner only\n"),
      lfsOp("secret.bin", secretOid, secretBytes.length),
    ]);
    weights["model/secret"] = { path: "secret.bin", bytes: secretBytes };
  });

  after(async () => {
    client?.cleanup();
    await server?.stop();
  });

  test("AnonymousCloneOfPublicReposByEveryUrlFormAndProtocol", async (t) => {
    for (const { type, prefix, name } of TYPES) {
      for (const suffix of ["", ".git"]) {
        for (const version of ["0", "2"]) {
          await t.test(`${prefix}admin/${name}${suffix} protocol v${version}`, async () => {
            const dir = await cloneOk(cloneUrl(server, `${prefix}admin/${name}`, { suffix }),
              "-c", `protocol.version=${version}`);
            assert.equal(await client.ok(dir, "rev-parse", "HEAD"), heads[`${type}/${name}`]);
            assert.equal(await client.ok(dir, "rev-parse", "--abbrev-ref", "HEAD"), "main");
            assert.equal(readFileSync(join(dir, `hello-${type}.txt`), "utf8"), `hello from a ${type}\n`);
            await client.ok(dir, "fsck", "--strict", "--no-progress");
          });
        }
      }
    }
  });

  test("ShallowAndPartialClonesWork", async () => {
    const url = cloneUrl(server, "admin/public-model");
    for (const version of ["0", "2"]) {
      const dir = client.dir(`shallow-v${version}`);
      await client.ok(client.home, "-c", `protocol.version=${version}`, "clone", "-q", "--depth", "1", url, dir);
      assert.equal(await client.ok(dir, "rev-parse", "--is-shallow-repository"), "true");
      assert.equal(await client.ok(dir, "rev-parse", "HEAD"), heads["model/public-model"]);
      await client.ok(dir, "-c", `protocol.version=${version}`, "fetch", "-q", "--unshallow");
      assert.equal(await client.ok(dir, "rev-parse", "--is-shallow-repository"), "false");
      await client.ok(dir, "fsck", "--strict", "--no-progress");
    }
    // A blobless clone fetches the blobs of the checkout afterwards, by id.
    const partial = client.dir("partial");
    await client.ok(client.home, "clone", "-q", "--filter=blob:none", url, partial);
    assert.equal(await client.ok(partial, "config", "remote.origin.promisor"), "true");
    assert.equal(readFileSync(join(partial, "hello-model.txt"), "utf8"), "hello from a model\n");
    assert.ok(readFileSync(join(partial, "model.safetensors")).equals(weights["model/public-model"].bytes));
  });

  test("InfoRefsSpeaksVersion0And2AsAsked", async () => {
    const url = `${server.url}/admin/public-model/info/refs?service=git-upload-pack`;
    const v0 = await curl(url);
    assert.equal(v0.status, 200, v0.describe());
    assert.equal(v0.header("Content-Type"), "application/x-git-upload-pack-advertisement");
    assert.ok(v0.body.toString("latin1").startsWith("001e# service=git-upload-pack\n0000"), v0.text.slice(0, 80));
    assert.match(v0.text, new RegExp(`${heads["model/public-model"]} refs/heads/main`));
    const v2 = await curl(url, { headers: { "Git-Protocol": "version=2" } });
    assert.equal(v2.status, 200, v2.describe());
    assert.ok(v2.body.toString("latin1").startsWith("000eversion 2\n"), v2.text.slice(0, 80));
    assert.match(v2.text, /fetch=/);
  });

  test("CloneSmudgesLfsFilesToTheirOriginalBytes", async (t) => {
    for (const { type, prefix, name } of TYPES) {
      await t.test(`${prefix}admin/${name}`, async () => {
        const dir = await cloneOk(cloneUrl(server, `${prefix}admin/${name}`));
        const { path, bytes } = weights[`${type}/${name}`];
        const got = readFileSync(join(dir, path));
        assert.ok(got.equals(bytes), `${path}: ${got.length} bytes, starting ${got.subarray(0, 40)}`);
        // git itself still holds the pointer.
        const blob = await client.ok(dir, "cat-file", "blob", `HEAD:${path}`);
        assert.equal(blob, `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(bytes)}\nsize ${bytes.length}`);
      });
    }
  });

  test("AnonymousCloneOfAPrivateRepoFailsWith401", async () => {
    const res = await curl(`${server.url}/admin/secret/info/refs?service=git-upload-pack`);
    assert.equal(res.status, 401, res.describe());
    assert.match(res.header("WWW-Authenticate") ?? "", /^Basic realm=/);
    const post = await curl(`${server.url}/admin/secret/git-upload-pack`, {
      method: "POST", headers: { "Content-Type": "application/x-git-upload-pack-request" }, body: "0000",
    });
    assert.equal(post.status, 401, post.describe());
    const r = await client.fails(client.home, "clone", cloneUrl(server, "admin/secret"), client.dir("no-secret"));
    assert.match(r.stderr, /could not read Username|Authentication failed/);
    assert.doesNotMatch(r.stderr, /secret\.txt/);
  });

  test("OwnerTokenClonesAPrivateRepoWithItsLfsFiles", async () => {
    const dir = await cloneOk(cloneUrl(server, "admin/secret", { token: server.token, user: "whatever" }));
    assert.equal(await client.ok(dir, "rev-parse", "HEAD"), heads["model/secret"]);
    assert.equal(readFileSync(join(dir, "secret.txt"), "utf8"), "for the owner only\n");
    assert.ok(readFileSync(join(dir, "secret.bin")).equals(weights["model/secret"].bytes), "git-lfs used the token");
  });

  test("GitGzipsLargeFetchRequestsAndTheServerInflatesThem", async () => {
    // 40 branches at 40 different commits: a clone wants all 40 tips, a request of over
    // 1 KiB, which git sends gzipped.
    const name = "many-branches";
    await createRepo(server, name);
    const src = await cloneOk(cloneUrl(server, `admin/${name}`, { token: server.token }));
    const refspecs = [];
    for (let i = 0; i < 40; i++) {
      await client.ok(src, "commit", "-q", "--allow-empty", "-m", `commit ${i}`);
      refspecs.push(`HEAD:refs/heads/branch-${String(i).padStart(2, "0")}`);
    }
    await client.ok(src, "push", "-q", "origin", ...refspecs);
    const dir = client.dir("gzip-clone");
    const r = await client.raw(["clone", "--mirror", cloneUrl(server, `admin/${name}`), dir],
      { env: { GIT_TRACE_CURL: "1", GIT_TRACE_CURL_NO_DATA: "1" } });
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    assert.match(r.stderr, /Send header: Content-Encoding: gzip/, "git sent a gzipped request");
    const refs = await bareRefs(server.dataDir, `models/admin/${name}`);
    const mirrored = await client.ok(dir, "for-each-ref", "--format=%(refname) %(objectname)");
    const got = Object.fromEntries(mirrored.split("\n").map((l) => l.split(" ")));
    assert.deepEqual(got, refs);
    assert.equal(Object.keys(refs).length, 41);
    await client.ok(dir, "fsck", "--strict", "--no-progress");
  });

  test("HandMadeGzipUploadPackRequestIsServedLikeThePlainOne", async () => {
    const head = heads["model/public-model"];
    const request = Buffer.concat([pktLine(`want ${head} ofs-delta\n`), FLUSH, pktLine("done\n")]);
    const url = `${server.url}/admin/public-model/git-upload-pack`;
    const type = { "Content-Type": "application/x-git-upload-pack-request" };
    const plain = await curl(url, { method: "POST", headers: type, body: request });
    assert.equal(plain.status, 200, plain.describe());
    assert.equal(plain.header("Content-Type"), "application/x-git-upload-pack-result");
    assert.equal(plain.body.subarray(0, 12).toString("latin1"), "0008NAK\nPACK");
    const gz = await curl(url, { method: "POST", headers: { ...type, "Content-Encoding": "gzip" }, body: gzipSync(request) });
    assert.equal(gz.status, 200, gz.describe());
    assert.ok(gz.body.equals(plain.body), "the gzipped request gets the same pack");

    // The pack holds the commit: index it in a scratch repo.
    const scratch = client.dir("unpack");
    await client.ok(client.home, "init", "-q", "--bare", scratch);
    const idx = await client.raw(["index-pack", "--stdin", "--strict"], { cwd: scratch, input: plain.body.subarray(8) });
    assert.equal(idx.code, 0, idx.stderr);
    assert.equal(await client.ok(scratch, "cat-file", "-t", head), "commit");

    // A body that says gzip and is not, or is cut short, is refused and served nothing.
    for (const [what, body] of [["not gzip", request], ["truncated gzip", gzipSync(request).subarray(0, 20)]]) {
      const bad = await curl(url, { method: "POST", headers: { ...type, "Content-Encoding": "gzip" }, body });
      assert.ok(bad.status >= 400 && bad.status < 500, `${what}: ${bad.describe()}`);
      assert.ok(!bad.body.includes("PACK"), what);
    }
    const other = await curl(url, { method: "POST", headers: { ...type, "Content-Encoding": "br" }, body: request });
    assert.equal(other.status, 415, other.describe());
  });

  test("FetchAfterAnApiCommitBringsIt", async () => {
    const dir = await cloneOk(cloneUrl(server, "admin/public-model"));
    const sha = await apiCommit("model", "public-model", [fileOp("later.txt", "committed after the clone\n")]);
    await client.ok(dir, "fetch", "-q", "origin");
    assert.equal(await client.ok(dir, "rev-parse", "origin/main"), sha);
    await client.ok(dir, "merge", "-q", "--ff-only", "origin/main");
    assert.equal(readFileSync(join(dir, "later.txt"), "utf8"), "committed after the clone\n");
    heads["model/public-model"] = sha;
    await assertFsckClean(server.dataDir, "models/admin/public-model");
  });
});
