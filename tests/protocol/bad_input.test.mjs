// Bad input the server must survive: every request here is refused, and after each one the
// repo is exactly as before (same head, same tree), the server still answers, and at the end
// `git fsck --strict` finds nothing wrong. Requests go through the real curl binary, except
// the ones only a raw socket can send (a client that vanishes mid-body, broken HTTP).
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, rmSync, statSync, writeFileSync, mkdtempSync, openSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { rawExchange as rawExchangeWith } from "../lib/raw_socket.mjs";
import { startWharf } from "../lib/wharf.mjs";
import { curl, bearer } from "../lib/curl.mjs";
import {
  createRepo, ndjson, fileOp, lfsOp, commitRaw, commit, lfsBatch, lfsUpload, repoState, git, sha256,
} from "../lib/hub_ops.mjs";

const REPO = "victim";
const PRECONDITION_MESSAGE = "A commit has happened since. Please refresh and try again.";
const scratch = mkdtempSync(join(tmpdir(), "wharf-bad-input-"));

let server;
let baseline;   // repoState of REPO that every refused request must leave alone
let stored;     // an LFS object that is stored and committed: {oid, size}

async function assertUnchanged(what) {
  const now = await repoState(server, REPO);
  assert.deepEqual(now, baseline, `${what}: the repo changed`);
}

// Sends a commit body and expects it refused with one of `statuses`, the repo untouched.
async function refusedCommit(what, body, statuses = [400]) {
  const res = await commitRaw(server, REPO, body);
  assert.ok(statuses.includes(res.status), `${what}: expected ${statuses}, got\n${res.describe()}`);
  assert.ok(res.header("X-Error-Message") !== undefined || res.status === 413, `${what}: no X-Error-Message`);
  await assertUnchanged(what);
  return res;
}

const header = (value = { summary: "bad", description: "" }) => JSON.stringify({ key: "header", value });
const line = (key, value) => JSON.stringify({ key, value });

function lfsPath(dataDir, oid) {
  return join(dataDir, "lfs", oid.slice(0, 2), oid.slice(2, 4), oid);
}

function tmpUploads(dataDir) {
  return readdirSync(join(dataDir, "tmp")).filter((n) => n.startsWith("up-") || n.startsWith("mp-"));
}

async function waitFor(predicate, what, ms = 3000) {
  const until = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > until) assert.fail(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function assertAlive() {
  const res = await curl(`${server.url}/api/whoami-v2`, { headers: bearer(server.token) });
  assert.equal(res.status, 200, "the server stopped answering");
}

// A raw exchange with this file's server.
const rawExchange = (chunks, options) => rawExchangeWith(server.port, chunks, options);

function repoDirs(dataDir) {
  const out = [];
  const root = join(dataDir, "repos");
  if (!existsSync(root)) return out;
  for (const type of readdirSync(root)) {
    for (const ns of readdirSync(join(root, type))) {
      for (const name of readdirSync(join(root, type, ns))) out.push(`${type}/${ns}/${name}`);
    }
  }
  return out.sort();
}

describe("bad input", () => {
  before(async () => {
    server = await startWharf();
    await createRepo(server, REPO);
    stored = await lfsUpload(server, REPO, randomBytes(4096));
    await commit(server, REPO, "fixtures", [
      fileOp("keep.txt", "keep\n"),
      fileOp("dir/nested.txt", "nested\n"),
      lfsOp("weights.bin", stored.oid, stored.size),
    ]);
    baseline = await repoState(server, REPO);
  });

  after(async () => {
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  test("malformed NDJSON lines are refused as a whole", async (t) => {
    const valid = line("file", { path: "new.txt", content: "eA==", encoding: "base64" });
    const table = {
      "not JSON at all": "this is not json\n",
      "a line that is not JSON": `${header()}\n{not json\n`,
      "a JSON array line": `${header()}\n[1,2,3]\n`,
      "a JSON string line": `${header()}\n"just a string"\n`,
      "a JSON number line": `${header()}\n42\n`,
      "a line without value": `${header()}\n{"key":"file"}\n`,
      "a value that is a string": `${header()}\n{"key":"file","value":"a.txt"}\n`,
      "a value that is null": `${header()}\n{"key":"deletedFile","value":null}\n`,
      "a numeric key": `${header()}\n{"key":5,"value":{}}\n`,
      "no key": `${header()}\n{"value":{"path":"a.txt"}}\n`,
      "no header line": `${valid}\n`,
      "header after an operation": `${valid}\n${header()}\n`,
      "two headers": `${header()}\n${header()}\n${valid}\n`,
      "empty body": "",
      "only blank lines": "\n\n\r\n\n",
      "header summary not a string": `${JSON.stringify({ key: "header", value: { summary: 5 } })}\n${valid}\n`,
      "header without summary": `${JSON.stringify({ key: "header", value: { description: "x" } })}\n${valid}\n`,
      "parentCommit not hex": `${header({ summary: "x", parentCommit: "not-a-sha" })}\n${valid}\n`,
      "parentCommit too short": `${header({ summary: "x", parentCommit: "abcd" })}\n${valid}\n`,
      "parentCommit uppercase": `${header({ summary: "x", parentCommit: baseline.head.toUpperCase() })}\n${valid}\n`,
      "file content not a string": `${header()}\n${line("file", { path: "a.txt", content: 5, encoding: "base64" })}\n`,
      "file without encoding": `${header()}\n${line("file", { path: "a.txt", content: "eA==" })}\n`,
      "file with an unknown encoding": `${header()}\n${line("file", { path: "a.txt", content: "eA==", encoding: "rot13" })}\n`,
      "file path not a string": `${header()}\n${line("file", { path: ["a"], content: "eA==", encoding: "base64" })}\n`,
      "file with oldPath (rename)": `${header()}\n${line("file", { path: "b.txt", oldPath: "keep.txt", content: "eA==", encoding: "base64" })}\n`,
      "lfsFile oid uppercase": `${header()}\n${line("lfsFile", { path: "w.bin", algo: "sha256", oid: stored.oid.toUpperCase(), size: stored.size })}\n`,
      "lfsFile oid short": `${header()}\n${line("lfsFile", { path: "w.bin", algo: "sha256", oid: stored.oid.slice(0, 40), size: stored.size })}\n`,
      "lfsFile negative size": `${header()}\n${line("lfsFile", { path: "w.bin", algo: "sha256", oid: stored.oid, size: -1 })}\n`,
      "lfsFile fractional size": `${header()}\n${line("lfsFile", { path: "w.bin", algo: "sha256", oid: stored.oid, size: 1.5 })}\n`,
      "lfsFile size as a string": `${header()}\n${line("lfsFile", { path: "w.bin", algo: "sha256", oid: stored.oid, size: "4096" })}\n`,
      "lfsFile algo md5": `${header()}\n${line("lfsFile", { path: "w.bin", algo: "md5", oid: stored.oid, size: stored.size })}\n`,
      "lfsFile size differs from the stored object": `${header()}\n${line("lfsFile", { path: "w.bin", algo: "sha256", oid: stored.oid, size: stored.size + 1 })}\n`,
      "a truncated last line": `${header()}\n{"key":"file","value":{"path":"a.txt","content":"YQ==`,
      "valid lines, then garbage": `${header()}\n${valid}\ngarbage\n`,
      "a valid commit body, then a bad line": `${header()}\n${valid}\n${line("deletedFile", { path: "../x" })}\n`,
      "a file below an existing file": `${header()}\n${line("file", { path: "keep.txt/inner.txt", content: "eA==", encoding: "base64" })}\n`,
      "a file where a folder is": `${header()}\n${line("file", { path: "dir", content: "eA==", encoding: "base64" })}\n`,
      "an LFS file where a folder is": `${header()}\n${line("lfsFile", { path: "dir", algo: "sha256", oid: stored.oid, size: stored.size })}\n`,
      "a file and a file below it in one commit": `${header()}\n${line("file", { path: "x", content: "eA==", encoding: "base64" })}\n${line("file", { path: "x/y", content: "eA==", encoding: "base64" })}\n`,
      "a regular file over 10 MiB": `${header()}\n${line("file", { path: "big.txt", content: Buffer.alloc(10 * 1024 * 1024 + 1, 97).toString("base64"), encoding: "base64" })}\n`,
    };
    for (const [name, body] of Object.entries(table)) {
      await t.test(name, () => refusedCommit(name, body));
    }
    await t.test("invalid UTF-8 bytes inside a line", () =>
      refusedCommit("invalid UTF-8", Buffer.concat([Buffer.from(`${header()}\n{"key":"file","value":{"path":"a`),
        Buffer.from([0xff, 0xfe]), Buffer.from(`.txt","content":"eA==","encoding":"base64"}}\n`)])));
    await t.test("a JSON-escaped NUL in the summary or description is refused or stored harmlessly", async () => {
      for (const value of [{ summary: "nul\u0000byte" }, { summary: "ok", description: "nul\u0000in the body" }]) {
        const res = await commitRaw(server, REPO, `${header(value)}\n${line("file", { path: "nul-summary.txt", content: "eA==", encoding: "base64" })}\n`);
        if (res.status === 200) {
          // Accepted: the commit object must still be valid git (the final fsck checks it).
          const cat = await git(server.dataDir, `models/admin/${REPO}`, "cat-file", "-p", res.json().commitOid);
          assert.equal(cat.code, 0, cat.stderr);
          baseline = await repoState(server, REPO);
        } else {
          assert.equal(res.status, 400, res.describe());
          await assertUnchanged("NUL in the header");
        }
      }
    });
    await t.test("a NUL in branch, tag and repo names is refused", async () => {
      const json = { ...bearer(server.token), "Content-Type": "application/json" };
      const branch = await curl(`${server.url}/api/models/admin/${REPO}/branch/a%00b`, { method: "POST", headers: json, body: "{}" });
      assert.equal(branch.status, 400, branch.describe());
      const tag = await curl(`${server.url}/api/models/admin/${REPO}/tag/main`, { method: "POST", headers: json, body: JSON.stringify({ tag: "a\u0000b" }) });
      assert.equal(tag.status, 400, tag.describe());
      const repo = await curl(`${server.url}/api/repos/create`, { method: "POST", headers: json, body: JSON.stringify({ name: "a\u0000b" }) });
      assert.equal(repo.status, 400, repo.describe());
      const refs = await curl(`${server.url}/api/models/admin/${REPO}/refs`, { headers: bearer(server.token) });
      assert.deepEqual(refs.json().branches.map((b) => b.name), ["main"]);
      assert.deepEqual(refs.json().tags, []);
      await assertUnchanged("NUL in names");
    });
  });

  test("unknown line keys are refused", async (t) => {
    for (const key of ["copy", "deleteFile", "HEADER", "File", "", "lfs", "\u0001\u0002", "x".repeat(5000)]) {
      await t.test(`key ${JSON.stringify(key).slice(0, 20)}`, async () => {
        const res = await refusedCommit(`unknown key ${key.slice(0, 20)}`,
          `${header()}\n${line(key, { path: "a.txt", content: "eA==", encoding: "base64" })}\n`);
        // The message is also a header: it must stay one printable line.
        assert.match(res.header("X-Error-Message"), /^[\x20-\x7e]*$/);
        assert.ok(res.header("X-Error-Message").length < 1000);
      });
    }
  });

  test("invalid base64 content is refused", async (t) => {
    for (const content of ["@@@@", "YWJj*ZGVm", "====", "Y", "eA==eA==\u0000", "ｅＡ＝＝"]) {
      await t.test(JSON.stringify(content), () =>
        refusedCommit(`base64 ${content}`, `${header()}\n${line("file", { path: "b64.txt", content, encoding: "base64" })}\n`));
    }
  });

  test("bad paths are refused in every line kind", async (t) => {
    const paths = [
      "../escape.txt", "a/../../escape.txt", "a/..", "..", ".", "./a.txt", "a/./b.txt",
      "/etc/passwd", "/abs.txt",
      ".git/config", "sub/.git/hooks/post-update", ".GIT/config", ".git", "a/.Git", ".cache/huggingface/x",
      "a\\b.txt", "..\\..\\escape.txt",
      "a\u0000b.txt", "\u0000", "nul\u0000",
      "a//b.txt", "", "trailing/", "ctrl\u0001.txt", "new\nline.txt",
      "x".repeat(5000),
    ];
    const kinds = {
      file: (p) => line("file", { path: p, content: "eA==", encoding: "base64" }),
      lfsFile: (p) => line("lfsFile", { path: p, algo: "sha256", oid: stored.oid, size: stored.size }),
      deletedFile: (p) => line("deletedFile", { path: p }),
      deletedFolder: (p) => line("deletedFolder", { path: p }),
    };
    for (const [kind, make] of Object.entries(kinds)) {
      await t.test(kind, async () => {
        for (const p of paths) {
          // deletedFolder accepts one trailing '/', so "trailing/" names a (missing) folder: 404.
          const statuses = kind === "deletedFolder" && p === "trailing/" ? [400, 404] : [400];
          await refusedCommit(`${kind} ${JSON.stringify(p).slice(0, 40)}`, `${header()}\n${make(p)}\n`, statuses);
        }
      });
    }
    await t.test("preupload refuses them too", async () => {
      for (const p of ["../escape.txt", "/abs.txt", ".git/config", "a\\b.txt", "a\u0000b.txt"]) {
        const res = await curl(`${server.url}/api/models/admin/${REPO}/preupload/main`, {
          method: "POST", headers: { ...bearer(server.token), "Content-Type": "application/json" },
          body: JSON.stringify({ files: [{ path: p, size: 1, sample: "eA==" }] }),
        });
        assert.equal(res.status, 400, res.describe());
      }
      await assertUnchanged("preupload bad paths");
    });
    await t.test("resolve never leaves the repo", async () => {
      for (const p of ["../../../../../../etc/passwd", "%2e%2e/%2e%2e/%2e%2e/etc/passwd", "..%2F..%2F..%2Fetc%2Fpasswd",
                       ".git/config", ".git/HEAD", "dir/../keep.txt", "%00keep.txt", "keep.txt%00", "..%5C..%5Cetc%5Cpasswd"]) {
        const res = await curl(`${server.url}/admin/${REPO}/resolve/main/${p}`, { headers: bearer(server.token) });
        assert.ok([400, 404].includes(res.status), `resolve ${p}: ${res.describe()}`);
        assert.doesNotMatch(res.text, /root:|\[core\]|ref: refs/, `resolve ${p} leaked a file`);
      }
      const tree = await curl(`${server.url}/api/models/admin/${REPO}/tree/main/..%2F..`, { headers: bearer(server.token) });
      assert.ok([400, 404].includes(tree.status), tree.describe());
    });
  });

  test("invalid repo names are refused, nothing created", async (t) => {
    const before = repoDirs(server.dataDir);
    const names = ["a--b", "a..b", "-lead", "trail-", ".hidden", "trail.", "x".repeat(97), "name.git", "NAME.GIT",
                   "a b", "a/b/c", "ünï", "", "--", "semi;colon", "a%2Fb"];
    for (const name of names) {
      await t.test(`name ${JSON.stringify(name).slice(0, 24)}`, async () => {
        const res = await curl(`${server.url}/api/repos/create`, {
          method: "POST", headers: { ...bearer(server.token), "Content-Type": "application/json" },
          body: JSON.stringify({ name, organization: "admin" }),
        });
        assert.equal(res.status, 400, res.describe());
      });
    }
    for (const ns of ["datasets", "spaces", "models", "kernels", "api", "buckets", "Datasets"]) {
      await t.test(`reserved namespace ${ns}`, async () => {
        const res = await curl(`${server.url}/api/repos/create`, {
          method: "POST", headers: { ...bearer(server.token), "Content-Type": "application/json" },
          body: JSON.stringify({ name: "fine-name", organization: ns }),
        });
        assert.equal(res.status, 400, res.describe());
      });
    }
    await t.test("a 96-character name is fine (the limit is inclusive)", async () => {
      const res = await curl(`${server.url}/api/repos/create`, {
        method: "POST", headers: { ...bearer(server.token), "Content-Type": "application/json" },
        body: JSON.stringify({ name: "y".repeat(96) }),
      });
      assert.equal(res.status, 200, res.describe());
      await curl(`${server.url}/api/repos/delete`, {
        method: "DELETE", headers: { ...bearer(server.token), "Content-Type": "application/json" },
        body: JSON.stringify({ name: "y".repeat(96), organization: "admin" }),
      });
    });
    await t.test("move to an invalid or reserved name is refused, the repo stays", async () => {
      for (const to of ["admin/a--b", "admin/-x", "datasets/x", "admin/x.git", "admin/" + "z".repeat(97)]) {
        const res = await curl(`${server.url}/api/repos/move`, {
          method: "POST", headers: { ...bearer(server.token), "Content-Type": "application/json" },
          body: JSON.stringify({ fromRepo: `admin/${REPO}`, toRepo: to, type: "model" }),
        });
        assert.equal(res.status, 400, `move to ${to}: ${res.describe()}`);
        await assertUnchanged(`move to ${to}`);
      }
    });
    await t.test("malformed create bodies", async () => {
      for (const body of ["{", "[]", "\"x\"", "{\"name\": 5}", "{\"name\": \"ok-name\", \"type\": \"weird\"}",
                          "{\"name\": \"ok-name\", \"visibility\": \"sometimes\"}", "{\"name\": \"ok-name\", \"private\": \"yes\"}"]) {
        const res = await curl(`${server.url}/api/repos/create`, {
          method: "POST", headers: { ...bearer(server.token), "Content-Type": "application/json" }, body,
        });
        assert.equal(res.status, 400, `${body}: ${res.describe()}`);
      }
    });
    assert.deepEqual(repoDirs(server.dataDir), before, "a refused create or move left a directory behind");
  });

  test("LFS PUTs whose bytes do not match the oid or the size are refused", async (t) => {
    const content = randomBytes(64 * 1024);
    const oid = sha256(content);
    const obj = await lfsBatch(server, REPO, oid, content.length);
    const href = obj.actions.upload.href;
    const notStored = async (what) => {
      assert.equal(existsSync(lfsPath(server.dataDir, oid)), false, `${what}: object stored anyway`);
      const again = await lfsBatch(server, REPO, oid, content.length);
      assert.ok(again.actions?.upload, `${what}: the batch no longer asks for an upload`);
      await waitFor(() => tmpUploads(server.dataDir).length === 0, `${what}: temp files removed`);
    };
    await t.test("same size, other bytes", async () => {
      const other = Buffer.from(content);
      other[100] ^= 0xff;
      const res = await curl(href, { method: "PUT", body: other });
      assert.equal(res.status, 400, res.describe());
      await notStored("other bytes");
    });
    await t.test("fewer bytes", async () => {
      const res = await curl(href, { method: "PUT", body: content.subarray(0, content.length - 1) });
      assert.equal(res.status, 400, res.describe());
      await notStored("fewer bytes");
    });
    await t.test("more bytes", async () => {
      const res = await curl(href, { method: "PUT", body: Buffer.concat([content, Buffer.from("x")]) });
      assert.equal(res.status, 400, res.describe());
      await notStored("more bytes");
    });
    await t.test("chunked, fewer bytes (no Content-Length to check)", async () => {
      const res = await curl(href, { method: "PUT", body: content.subarray(0, 1000), headers: { "Transfer-Encoding": "chunked" } });
      assert.equal(res.status, 400, res.describe());
      await notStored("chunked fewer");
    });
    await t.test("chunked, more bytes", async () => {
      const res = await curl(href, { method: "PUT", body: Buffer.concat([content, content]), headers: { "Transfer-Encoding": "chunked" } });
      assert.equal(res.status, 400, res.describe());
      await notStored("chunked more");
    });
    await t.test("chunked, other bytes", async () => {
      const other = Buffer.from(content);
      other[0] ^= 1;
      const res = await curl(href, { method: "PUT", body: other, headers: { "Transfer-Encoding": "chunked" } });
      assert.equal(res.status, 400, res.describe());
      await notStored("chunked other bytes");
    });
    await t.test("a PUT to another oid's URL with this oid's bytes", async () => {
      const other = randomBytes(64 * 1024);
      const otherObj = await lfsBatch(server, REPO, sha256(other), other.length);
      const res = await curl(otherObj.actions.upload.href, { method: "PUT", body: content });
      assert.equal(res.status, 400, res.describe());
      assert.equal(existsSync(lfsPath(server.dataDir, sha256(other))), false);
      await notStored("bytes of another oid");
    });
    await t.test("the right bytes, chunked, are then accepted", async () => {
      const res = await curl(href, { method: "PUT", body: content, headers: { "Transfer-Encoding": "chunked" } });
      assert.equal(res.status, 200, res.describe());
      assert.equal(sha256(await import("node:fs").then((fs) => fs.readFileSync(lfsPath(server.dataDir, oid)))), oid);
    });
    await assertUnchanged("LFS PUTs");
  });

  test("a commit naming an LFS object never uploaded is refused", async () => {
    const ghost = sha256(Buffer.from("never uploaded"));
    const res = await refusedCommit("ghost LFS object", ndjson("ghost", [lfsOp("ghost.bin", ghost, 14)]), [400, 404, 422]);
    assert.match(res.header("X-Error-Message") ?? "", /upload|not found|missing|exist/i);
    // Also without a size, as Python sends copies of LFS files.
    await refusedCommit("ghost LFS object without size",
      `${header()}\n${line("lfsFile", { path: "ghost.bin", algo: "sha256", oid: ghost })}\n`, [400, 404, 422]);
    // An object whose batch was answered but whose PUT never came.
    const pending = randomBytes(1000);
    await lfsBatch(server, REPO, sha256(pending), pending.length);
    await refusedCommit("LFS object announced but never PUT", ndjson("pending", [lfsOp("pending.bin", sha256(pending), 1000)]), [400, 404, 422]);
  });

  test("a client that disconnects mid-upload leaves nothing behind", async (t) => {
    const host = new URL(server.url).host;
    await t.test("LFS PUT cut in the middle", async () => {
      const content = randomBytes(4 << 20);
      const oid = sha256(content);
      const obj = await lfsBatch(server, REPO, oid, content.length);
      const url = new URL(obj.actions.upload.href);
      const head = `PUT ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: ${content.length}\r\n\r\n`;
      await rawExchange([head, content.subarray(0, 1 << 20), content.subarray(1 << 20, 2 << 20)], { destroy: true });
      await assertAlive();
      await waitFor(() => tmpUploads(server.dataDir).length === 0, "the partial upload's temp file is removed");
      assert.equal(existsSync(lfsPath(server.dataDir, oid)), false, "a partial object was stored");
      const again = await lfsBatch(server, REPO, oid, content.length);
      assert.ok(again.actions?.upload, "the batch must still ask for the object");
      // The client retries and succeeds.
      const retry = await curl(again.actions.upload.href, { method: "PUT", body: content });
      assert.equal(retry.status, 200, retry.describe());
    });
    await t.test("LFS PUT cut right after the headers", async () => {
      const content = randomBytes(100000);
      const obj = await lfsBatch(server, REPO, sha256(content), content.length);
      const url = new URL(obj.actions.upload.href);
      await rawExchange([`PUT ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: ${content.length}\r\n\r\n`], { destroy: true });
      await assertAlive();
      await waitFor(() => tmpUploads(server.dataDir).length === 0, "temp file removed");
      assert.equal(existsSync(lfsPath(server.dataDir, sha256(content))), false);
    });
    await t.test("chunked LFS PUT cut between chunks", async () => {
      const content = randomBytes(300000);
      const obj = await lfsBatch(server, REPO, sha256(content), content.length);
      const url = new URL(obj.actions.upload.href);
      const part = content.subarray(0, 100000);
      await rawExchange([`PUT ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\n\r\n`,
        `${part.length.toString(16)}\r\n`, part, "\r\n"], { destroy: true });
      await assertAlive();
      await waitFor(() => tmpUploads(server.dataDir).length === 0, "temp file removed");
      assert.equal(existsSync(lfsPath(server.dataDir, sha256(content))), false);
    });
    await t.test("NDJSON commit cut mid-line", async () => {
      const body = ndjson("cut", [fileOp("cut-1.txt", "one"), fileOp("cut-2.txt", "x".repeat(100000))]);
      const head = `POST /api/models/admin/${REPO}/commit/main HTTP/1.1\r\nHost: ${host}\r\n` +
        `Authorization: Bearer ${server.token}\r\nContent-Type: application/x-ndjson\r\nContent-Length: ${body.length}\r\n\r\n`;
      await rawExchange([head, body.slice(0, body.length / 2)], { destroy: true });
      await assertAlive();
      await assertUnchanged("commit cut mid-line");
    });
    await t.test("NDJSON commit cut after whole lines (a valid prefix)", async () => {
      const body = ndjson("cut", [fileOp("cut-1.txt", "one"), fileOp("cut-2.txt", "two")]);
      const prefix = body.slice(0, body.indexOf("\n", body.indexOf("\n") + 1) + 1);
      const head = `POST /api/models/admin/${REPO}/commit/main HTTP/1.1\r\nHost: ${host}\r\n` +
        `Authorization: Bearer ${server.token}\r\nContent-Type: application/x-ndjson\r\nContent-Length: ${body.length}\r\n\r\n`;
      await rawExchange([head, prefix], { destroy: true });
      await assertAlive();
      await assertUnchanged("commit cut after whole lines");
    });
    await t.test("chunked NDJSON commit cut before the last chunk", async () => {
      const body = ndjson("cut", [fileOp("cut-1.txt", "one")]);
      const head = `POST /api/models/admin/${REPO}/commit/main HTTP/1.1\r\nHost: ${host}\r\n` +
        `Authorization: Bearer ${server.token}\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n`;
      await rawExchange([head, `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n`], { destroy: true });
      await assertAlive();
      await assertUnchanged("chunked commit cut before the terminator");
    });
  });

  test("broken HTTP is answered or dropped, the server stays up", async (t) => {
    const host = new URL(server.url).host;
    await t.test("garbage request line", async () => {
      const reply = await rawExchange(["GARBAGE\r\n\r\n"]);
      assert.match(reply, /^(HTTP\/1\.1 4\d\d|)/);
      await assertAlive();
    });
    await t.test("invalid Content-Length", async () => {
      const reply = await rawExchange([`POST /api/models/admin/${REPO}/commit/main HTTP/1.1\r\nHost: ${host}\r\nContent-Length: -5\r\n\r\n`]);
      assert.match(reply, /^(HTTP\/1\.1 4\d\d|)/);
      await assertAlive();
      await assertUnchanged("invalid Content-Length");
    });
    await t.test("invalid chunk size", async () => {
      const reply = await rawExchange([`POST /api/models/admin/${REPO}/commit/main HTTP/1.1\r\nHost: ${host}\r\n` +
        `Authorization: Bearer ${server.token}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n${header()}\r\n0\r\n\r\n`]);
      assert.match(reply, /^(HTTP\/1\.1 4\d\d|)/);
      await assertAlive();
      await assertUnchanged("invalid chunk size");
    });
    await t.test("headers larger than the limit", async () => {
      const reply = await rawExchange([`GET /api/whoami-v2 HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${"a".repeat(200000)}\r\n\r\n`]);
      assert.match(reply, /^(HTTP\/1\.1 4\d\d|)/);
      await assertAlive();
    });
  });

  test("a huge NDJSON line (> 32 MiB) is refused with 413 or 400", async (t) => {
    const file = join(scratch, "huge.ndjson");
    await t.test("a file line whose base64 content passes 32 MiB", async () => {
      const fd = openSync(file, "w");
      writeSync(fd, `${header()}\n{"key":"file","value":{"path":"huge.txt","encoding":"base64","content":"`);
      const block = Buffer.alloc(1 << 20, "QUFB");
      for (let i = 0; i < 34; i++) writeSync(fd, block);
      writeSync(fd, "\"}}\n");
      closeSync(fd);
      assert.ok(statSync(file).size > 32 * 1024 * 1024);
      const res = await commitRaw(server, REPO, undefined, { bodyFile: file });
      assert.ok([400, 413].includes(res.status), res.describe());
      await assertAlive();
      await assertUnchanged("huge line");
    });
    await t.test("33 MiB with no newline at all", async () => {
      writeFileSync(file, Buffer.alloc(33 << 20, "a"));
      const res = await commitRaw(server, REPO, undefined, { bodyFile: file });
      assert.ok([400, 413].includes(res.status), res.describe());
      await assertAlive();
      await assertUnchanged("33 MiB without newline");
    });
    await t.test("too many lines", async () => {
      const fd = openSync(file, "w");
      writeSync(fd, `${header()}\n`);
      const l = `${line("deletedFile", { path: "keep.txt" })}\n`.repeat(1000);
      for (let i = 0; i < 201; i++) writeSync(fd, l);
      closeSync(fd);
      const res = await commitRaw(server, REPO, undefined, { bodyFile: file });
      assert.ok([400, 413].includes(res.status), res.describe());
      await assertUnchanged("too many lines");
    });
    rmSync(file, { force: true });
  });

  test("parentCommit mismatch is 412 with the exact message", async () => {
    // A parent that exists in the history but is not the head.
    const older = (await curl(`${server.url}/api/models/admin/${REPO}/commits/main`, { headers: bearer(server.token) })).json()[1].id;
    for (const parent of [older, "0".repeat(40), older.slice(0, 7)]) {
      const res = await refusedCommit(`parentCommit ${parent}`,
        ndjson("stale", [fileOp("stale.txt", "stale")], { parentCommit: parent }), [412]);
      assert.deepEqual(res.json(), { ...res.json(), error: PRECONDITION_MESSAGE });
      assert.equal(res.header("X-Error-Message"), PRECONDITION_MESSAGE);
    }
  });

  test("commits racing on one branch with the same parentCommit: exactly one wins", async () => {
    for (let round = 0; round < 5; round++) {
      const parent = baseline.head;
      const racers = [0, 1, 2].map((i) =>
        commitRaw(server, REPO, ndjson(`race ${round}.${i}`, [fileOp(`race/${round}-${i}.txt`, `racer ${i}`)], { parentCommit: parent })));
      const results = await Promise.all(racers);
      const winners = results.filter((r) => r.status === 200);
      const losers = results.filter((r) => r.status !== 200);
      assert.equal(winners.length, 1, `round ${round}: ${results.map((r) => r.status)}`);
      for (const l of losers) {
        assert.equal(l.status, 412, l.describe());
        assert.equal(l.json().error, PRECONDITION_MESSAGE);
      }
      const state = await repoState(server, REPO);
      const winner = winners[0].json().commitOid;
      assert.equal(state.head, winner);
      const raced = state.tree.filter((e) => e.path.startsWith(`race/${round}-`)).map((e) => e.path);
      assert.equal(raced.length, 1, `round ${round}: the losers' files must not appear: ${raced}`);
      const parents = await git(server.dataDir, `models/admin/${REPO}`, "rev-parse", `${winner}^`);
      assert.equal(parents.stdout.trim(), parent, "the winner sits on the parent it named");
      baseline = state;
    }
  });

  test("commits racing without parentCommit are serialized, none lost", async () => {
    const before = await repoState(server, REPO);
    const results = await Promise.all([0, 1, 2, 3].map((i) =>
      commitRaw(server, REPO, ndjson(`free ${i}`, [fileOp(`free/${i}.txt`, `free ${i}`)]))));
    for (const r of results) assert.equal(r.status, 200, r.describe());
    const state = await repoState(server, REPO);
    assert.deepEqual(state.tree.filter((e) => e.path.startsWith("free/") && e.type === "file").map((e) => e.path).sort(),
      ["free/0.txt", "free/1.txt", "free/2.txt", "free/3.txt"]);
    const count = await git(server.dataDir, `models/admin/${REPO}`, "rev-list", "--count", `${before.head}..${state.head}`);
    assert.equal(count.stdout.trim(), "4");
    baseline = state;
  });

  test("the repositories pass git fsck --strict and the index matches git", async () => {
    for (const dir of repoDirs(server.dataDir)) {
      const repoPath = dir.replace(/\.git$/, "");
      const fsck = await git(server.dataDir, repoPath, "fsck", "--strict", "--no-progress");
      assert.equal(fsck.code, 0, `fsck ${dir}: ${fsck.stdout}${fsck.stderr}`);
      assert.equal(fsck.stderr.trim(), "", `fsck ${dir} warns: ${fsck.stderr}`);
    }
    const ref = await git(server.dataDir, `models/admin/${REPO}`, "rev-parse", "refs/heads/main");
    assert.equal(ref.stdout.trim(), baseline.head);
    await assertUnchanged("end");
  });
});
