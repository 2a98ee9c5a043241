// Bad input on the git routes: garbage and truncated packs, pushes that die half-way, ref
// names git or the Hub refuse, repo paths that try to leave the data dir, and the dumb
// protocol. Every request is refused with a clear answer, and after each one the bare repo
// has the same refs, passes `git fsck --strict`, and holds no leftover quarantine.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";

import { rawExchange } from "../lib/raw_socket.mjs";
import { startWharf } from "../lib/wharf.mjs";
import { curl } from "../lib/curl.mjs";
import { createRepo, commit, fileOp } from "../lib/hub_ops.mjs";
import {
  GitClient, cloneUrl, bareRefs, assertUntouched, assertIndexMatchesGit, pktLine, FLUSH, ZERO_SHA,
  receivePackRequest, emptyPack, run,
} from "../lib/git_client.mjs";

const REPO = "victim";
const STORE = `models/admin/${REPO}`;

let server;
let client;
let work;       // a clone with one new commit that is never pushed by the tests that break things
let baseRefs;   // the refs every refused request must leave
let head;       // main's sha
let newCommit;  // the work clone's unpushed commit
let pack;       // a valid pack of newCommit's objects
let validPush;  // a whole, valid receive-pack request updating main to newCommit

const basic = () => ({ Authorization: `Basic ${Buffer.from(`git:${server.token}`).toString("base64")}` });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function rpc(service, body, headers = {}, repoPath = `admin/${REPO}`) {
  return curl(`${server.url}/${repoPath}/${service}`, {
    method: "POST",
    headers: { ...basic(), "Content-Type": `application/x-${service}-request`, ...headers },
    body,
  });
}

// Temporary directories git leaves in objects/ when a push is cut short.
function quarantines() {
  const objects = join(server.dataDir, "repos", `${STORE}.git`, "objects");
  return readdirSync(objects).filter((n) => n.startsWith("tmp_objdir") || n.startsWith("incoming"));
}

async function assertRepoIntact(what) {
  await assertUntouched(server.dataDir, STORE, baseRefs, what);
  // git removes its quarantine when receive-pack ends; give a killed one a moment.
  for (let i = 0; i < 40 && quarantines().length; i++) await sleep(50);
  assert.deepEqual(quarantines(), [], `${what}: a quarantine directory was left behind`);
  const alive = await fetch(`${server.url}/api/models/admin/${REPO}`);
  assert.equal(alive.status, 200, `${what}: the server stopped answering`);
}

// A refused receive-pack request: either an HTTP error with a message, or git's own report
// of the failure (an "unpack" error or "ng" for the ref) in a 200 answer.
function assertRefusedPush(res, what, reportPattern = /unpack (?!ok)|ng refs\//) {
  if (res.status === 200) {
    assert.match(res.body.toString("latin1"), reportPattern, `${what}: ${res.describe()}`);
  } else {
    assert.ok(res.status >= 400 && res.status < 500, `${what}: ${res.describe()}`);
    assert.ok((res.header("X-Error-Message") ?? "").length > 0, `${what}: no X-Error-Message: ${res.describe()}`);
  }
}

// Sends raw bytes, then drops the connection; resolves to what came back.
const rawSend = (chunks) => rawExchange(server.port, chunks, { destroy: true, waitMs: 200 });

// A TCP proxy to the server that forwards both ways at `bytesPerSecond`, so that a test can
// act while a big request or answer is still on its way.
function throttledProxy(port, bytesPerSecond) {
  const forward = (from, to) => {
    from.on("data", (d) => {
      to.write(d);
      from.pause();
      setTimeout(() => from.resume(), (d.length / bytesPerSecond) * 1000);
    });
    from.on("end", () => to.end());
    from.on("close", () => to.destroy());
    from.on("error", () => to.destroy());
  };
  const proxy = createServer((down) => {
    const up = connect(port, "127.0.0.1");
    forward(down, up);
    forward(up, down);
  });
  return new Promise((resolve) => proxy.listen(0, "127.0.0.1", () => resolve(proxy)));
}

// The git transfer programs the server still runs (not a background `git gc`).
async function serverChildren() {
  const r = await run("ps", ["-o", "pid=,args=", "--ppid", String(server.proc.pid)]);
  return r.stdout.split("\n").filter((l) => /upload-pack|receive-pack/.test(l));
}

// Kills the process group of a git command spawned with `detached` once `ready()` holds.
async function killWhen(proc, ready, what) {
  const exited = new Promise((r) => proc.on("exit", r));
  let killed = false;
  const until = Date.now() + 30000;
  while (Date.now() < until && proc.exitCode === null && proc.signalCode === null) {
    if (await ready()) {
      process.kill(-proc.pid, "SIGKILL");  // git and the helpers it started
      killed = true;
      break;
    }
    await sleep(5);
  }
  await exited;
  assert.ok(killed, `${what} ended before it could be killed mid-way`);
}

describe("git bad input", () => {
  before(async () => {
    server = await startWharf();
    client = await new GitClient().init();
    await createRepo(server, REPO);
    await commit(server, REPO, "fixture", [fileOp("keep.txt", "keep\n")]);
    work = client.dir("work");
    await client.ok(client.home, "clone", "-q", cloneUrl(server, `admin/${REPO}`, { token: server.token }), work);
    // Over 64 KiB, so that requests carrying it span several reads of the body.
    writeFileSync(join(work, "new.txt"), `a new file\n${randomBytes(300 * 1024).toString("base64")}\n`);
    await client.ok(work, "add", "new.txt");
    await client.ok(work, "commit", "-q", "-m", "never pushed by the bad requests");
    head = await client.ok(work, "rev-parse", "origin/main");
    newCommit = await client.ok(work, "rev-parse", "HEAD");
    const packed = await client.raw(["pack-objects", "--stdout", "--revs", "-q"],
      { cwd: work, input: `${newCommit}\n^${head}\n`, binary: true });
    assert.equal(packed.code, 0, packed.stderr);
    pack = packed.stdout;
    validPush = receivePackRequest([`${head} ${newCommit} refs/heads/main`], pack);
    baseRefs = await bareRefs(server.dataDir, STORE);
  });

  after(async () => {
    client?.cleanup();
    await server?.stop();
  });

  test("GarbageAndDamagedPushRequestsAreRefused", async (t) => {
    const cmd = pktLine(`${head} ${newCommit} refs/heads/main\0report-status\n`);
    const corrupt = Buffer.from(pack);
    corrupt.fill(0x5a, 40, 60);
    const wrongCount = Buffer.from(pack);
    wrongCount.writeUInt32BE(pack.readUInt32BE(8) + 5, 8);
    const table = {
      "random bytes": randomBytes(4096),
      "a pkt-line length that is not hex": Buffer.from("zzzz not a pkt-line"),
      "commands with no flush and no pack": cmd,
      "commands and a flush, no pack": Buffer.concat([cmd, FLUSH]),
      "a pack cut in half": Buffer.concat([cmd, FLUSH, pack.subarray(0, pack.length >> 1)]),
      "a pack cut inside its header": Buffer.concat([cmd, FLUSH, pack.subarray(0, 7)]),
      "a pack with damaged bytes": Buffer.concat([cmd, FLUSH, corrupt]),
      "a pack that claims more objects": Buffer.concat([cmd, FLUSH, wrongCount]),
      "a pack of random bytes": Buffer.concat([cmd, FLUSH, randomBytes(2048)]),
      "an update to an object the pack does not hold": receivePackRequest(
        [`${head} ${"1234567890".repeat(4)} refs/heads/main`], emptyPack()),
      "an update whose old value is wrong": receivePackRequest([`${"ab".repeat(20)} ${newCommit} refs/heads/main`], pack),
      "a valid push, gzipped and cut short": gzipSync(validPush).subarray(0, 200),
    };
    for (const [what, body] of Object.entries(table)) {
      await t.test(what, async () => {
        const headers = what.includes("gzip") ? { "Content-Encoding": "gzip" } : {};
        const res = await rpc("git-receive-pack", body, headers);
        assertRefusedPush(res, what);
        await assertRepoIntact(what);
      });
    }
  });

  test("GarbageUploadPackRequestsAreRefused", async (t) => {
    const table = {
      "random bytes": randomBytes(4096),
      "a pkt-line length that is not hex": Buffer.from("zzzz"),
      "a want line cut short": Buffer.from("0032want 12345"),
      "a want of an unknown object": Buffer.concat([pktLine(`want ${"1234567890".repeat(4)}\n`), FLUSH, pktLine("done\n")]),
      "a v2 command that does not exist": Buffer.concat([pktLine("command=rm-rf\n"), FLUSH]),
    };
    for (const [what, body] of Object.entries(table)) {
      await t.test(what, async () => {
        const headers = what.startsWith("a v2") ? { "Git-Protocol": "version=2" } : {};
        const res = await rpc("git-upload-pack", body, headers);
        if (res.status === 200) {
          // git answers in the protocol: an ERR packet, never a pack.
          assert.match(res.text, /ERR /, `${what}: ${res.describe()}`);
        } else {
          assert.ok(res.status >= 400 && res.status < 500, `${what}: ${res.describe()}`);
          assert.ok((res.header("X-Error-Message") ?? "").length > 0, `${what}: ${res.describe()}`);
        }
        assert.ok(!res.body.includes("PACK"), `${what}: a pack was sent`);
        await assertRepoIntact(what);
      });
    }
  });

  test("AValidRawPushIsAcceptedAfterAllThat", async () => {
    // Proves the broken requests above failed for their damage, not their form.
    const res = await rpc("git-receive-pack", validPush);
    assert.equal(res.status, 200, res.describe());
    assert.match(res.text, /unpack ok/);
    assert.match(res.text, /ok refs\/heads\/main/);
    assert.equal(await assertIndexMatchesGit(server, REPO), newCommit);
    // Back to the fixture, so the following tests start from the same refs.
    const reset = await rpc("git-receive-pack", receivePackRequest([`${newCommit} ${head} refs/heads/main`], emptyPack()));
    assert.match(reset.text, /ok refs\/heads\/main/, reset.describe());
    assert.equal(await assertIndexMatchesGit(server, REPO), head);
    await assertRepoIntact("after the valid push and its reset");
  });

  test("InvalidRefNamesAreRefused", async (t) => {
    // Raw requests, since the git client refuses most of these itself.
    const names = [
      "refs/heads/a..b", "refs/heads/x.lock", "refs/heads/a b", "refs/heads/a\x7fb", "refs/heads/trailing/",
      "refs/heads/-dash", "refs/heads/.hidden", "refs/heads/@", "refs/heads/a@{1}", "refs/heads/a~1",
      "refs/heads/a^", "refs/heads/a:b", "refs/heads/a?", "refs/heads/a*", "refs/heads/a[b", "refs/heads/a\\b",
      "refs/heads/HEAD", "refs/heads/refs/heads/x", `refs/heads/${head}`, "refs/heads/", "HEAD", "main",
      "refs/tags/v1..2", "refs/pr/1", "refs/foo/bar", "refs/heads/main/below",
    ];
    for (const name of names) {
      await t.test(JSON.stringify(name), async () => {
        const res = await rpc("git-receive-pack", receivePackRequest([`${ZERO_SHA} ${head} ${name}`], emptyPack()));
        assertRefusedPush(res, name, /ng |unpack (?!ok)/);
        assert.doesNotMatch(res.body.toString("latin1"), /(^|[^n])ok refs\//, `${name}: reported ok`);
        await assertRepoIntact(name);
      });
    }
  });

  test("AClientKilledMidPushLeavesTheRepoUntouched", async () => {
    // A pack of ~6 MB sent through a proxy at 2 MB/s: git is still sending it when the
    // server's quarantine appears, and is killed there.
    const big = client.dir("big");
    await client.ok(client.home, "clone", "-q", cloneUrl(server, `admin/${REPO}`, { token: server.token }), big);
    for (let i = 0; i < 3; i++) writeFileSync(join(big, `part-${i}.txt`), randomBytes(2 * 1024 * 1024).toString("base64"));
    await client.ok(big, "add", "-A");
    await client.ok(big, "commit", "-q", "-m", "a big push");
    const proxy = await throttledProxy(server.port, 2 << 20);
    const slowUrl = cloneUrl({ url: `http://127.0.0.1:${proxy.address().port}` }, `admin/${REPO}`, { token: server.token });
    const git = spawn("git", ["push", slowUrl, "main"], { cwd: big, env: client.env, detached: true, stdio: "ignore" });
    await killWhen(git, () => quarantines().length > 0, "the push");
    proxy.close();
    await assertRepoIntact("client killed mid-push");
    // Nothing is left locked: the same push now goes through.
    await client.ok(big, "push", "-q", "origin", "main");
    const pushed = await client.ok(big, "rev-parse", "HEAD");
    assert.equal(await assertIndexMatchesGit(server, REPO), pushed);
    baseRefs = await bareRefs(server.dataDir, STORE);
    head = pushed;
  });

  test("AClientKilledMidCloneLeavesNoGitRunning", async () => {
    // The repo now holds the big push: a clone at 1 MB/s takes seconds; kill it mid-pack.
    const proxy = await throttledProxy(server.port, 1 << 20);
    const dir = client.dir("killed-clone");
    const url = cloneUrl({ url: `http://127.0.0.1:${proxy.address().port}` }, `admin/${REPO}`);
    const git = spawn("git", ["clone", url, dir], { env: client.env, detached: true, stdio: "ignore" });
    const packDir = join(dir, ".git", "objects", "pack");
    await killWhen(git, () => existsSync(packDir) && readdirSync(packDir).some((n) => n.startsWith("tmp_pack")),
      "the clone");
    proxy.close();
    for (let i = 0; i < 100 && (await serverChildren()).length; i++) await sleep(50);
    assert.deepEqual(await serverChildren(), [], "git transfers left running");
    await assertRepoIntact("clone killed mid-pack");
    const again = client.dir("clone-after-kill");
    await client.ok(client.home, "clone", "-q", cloneUrl(server, `admin/${REPO}`), again);
    assert.equal(await client.ok(again, "rev-parse", "HEAD"), head);
  });

  test("APartialBodyOverARawSocketLeavesTheRepoUntouched", async (t) => {
    const request = receivePackRequest([`${head} ${newCommit} refs/heads/main`], pack);
    const url = `/admin/${REPO}/git-receive-pack`;
    const headersOf = (extra) => Buffer.from(
      `POST ${url} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${basic().Authorization}\r\n` +
      `Content-Type: application/x-git-receive-pack-request\r\n${extra}\r\n`);
    await t.test("Content-Length, then half the body", async () => {
      await rawSend([headersOf(`Content-Length: ${request.length}\r\n`), request.subarray(0, request.length >> 1)]);
      await assertRepoIntact("half a body");
    });
    await t.test("Content-Length longer than the whole request", async () => {
      // git must not see the end of the pack before the end of the body: the drop loses it.
      await rawSend([headersOf(`Content-Length: ${request.length + 100}\r\n`), request]);
      await assertRepoIntact("whole request, body cut short");
    });
    await t.test("chunked, without the last chunk", async () => {
      const chunk = request.subarray(0, request.length - 10);
      await rawSend([headersOf("Transfer-Encoding: chunked\r\n"), Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk,
        Buffer.from("\r\n")]);
      await assertRepoIntact("chunked, no end");
    });
    await t.test("gzip, the whole gzip stream but the connection drops", async () => {
      const gz = gzipSync(request);
      await rawSend([headersOf(`Content-Encoding: gzip\r\nContent-Length: ${gz.length + 100}\r\n`), gz]);
      await assertRepoIntact("gzip then drop");
    });
  });

  test("RepoPathsThatLeaveTheDataDirAreRefused", async () => {
    const parent = dirname(server.dataDir);
    const outside = [join(parent, "x.git"), join(parent, "x"), join(server.dataDir, "x.git"), join(server.dataDir, "x"),
      join(server.dataDir, "repos", "x.git"), "/etc/x.git", "/etc/x"];
    const before = outside.map((p) => existsSync(p));
    const paths = [
      "/..%2F..%2Fetc/x.git/info/refs?service=git-upload-pack",
      "/..%2F..%2Fetc/x.git/info/refs?service=git-receive-pack",
      "/admin/../../x/info/refs?service=git-upload-pack",
      "/admin/../../x/info/refs?service=git-receive-pack",
      "/admin/..%2F..%2F..%2Fx/info/refs?service=git-receive-pack",
      "/%2E%2E/%2E%2E/x/info/refs?service=git-upload-pack",
      "/admin/%2E%2E/info/refs?service=git-upload-pack",
      "/../x.git/git-receive-pack",
      "/admin/..%2F..%2Fx.git/git-receive-pack",
      "/admin/..%2F..%2Fx.git/git-upload-pack",
      "/datasets/../../x/info/refs?service=git-upload-pack",
      "/admin/..%2Fx.git/info/lfs/objects/batch",
      "/admin/x%00.git/info/refs?service=git-upload-pack",
    ];
    for (const path of paths) {
      const post = path.includes("git-receive-pack") && !path.includes("info/refs") ||
        path.includes("git-upload-pack") && !path.includes("info/refs") || path.includes("lfs");
      const res = await curl(`${server.url}${path}`, {
        method: post ? "POST" : "GET",
        headers: { ...basic(), ...(post ? { "Content-Type": "application/x-git-receive-pack-request" } : {}) },
        body: post ? validPush : undefined,
      });
      assert.ok(res.status >= 400 && res.status < 500, `${path}: ${res.describe()}`);
    }
    assert.deepEqual(outside.map((p) => existsSync(p)), before, "something was created outside the repos");
    const repos = readdirSync(join(server.dataDir, "repos", "models", "admin")).sort();
    assert.deepEqual(repos, [`${REPO}.git`]);
    await assertRepoIntact("escaping paths");
  });

  test("DumbProtocolRequestsGetAClearError", async () => {
    for (const path of [`/admin/${REPO}/info/refs`, `/admin/${REPO}.git/info/refs`, `/admin/${REPO}/HEAD`,
                        `/admin/${REPO}/objects/info/packs`, `/admin/${REPO}.git/objects/info/alternates`,
                        `/admin/${REPO}/objects/${head.slice(0, 2)}/${head.slice(2)}`,
                        `/admin/${REPO}/info/refs?service=git-upload-archive`]) {
      const res = await curl(`${server.url}${path}`);
      assert.ok(res.status >= 400 && res.status < 500, `${path}: ${res.describe()}`);
      assert.match(res.header("X-Error-Message") ?? "", /smart HTTP|not supported/i, `${path}: ${res.describe()}`);
      assert.ok(!res.text.includes(head) && !res.text.includes("PACK"), `${path}: leaked repo data`);
    }
    // A GET on the RPC endpoints is no request at all.
    for (const service of ["git-upload-pack", "git-receive-pack"]) {
      const res = await curl(`${server.url}/admin/${REPO}/${service}`, { headers: basic() });
      assert.equal(res.status, 405, res.describe());
    }
    // A git client held to the dumb protocol is refused, not served half a repo.
    const dumb = client.dir("dumb");
    const r = await client.raw(["clone", cloneUrl(server, `admin/${REPO}`), dumb], { env: { GIT_SMART_HTTP: "0" } });
    assert.notEqual(r.code, 0, r.stderr);
    assert.match(r.stderr, /403/);
    assert.ok(!existsSync(join(dumb, "keep.txt")));
    await assertRepoIntact("dumb protocol");
  });

  test("WrongContentTypeOnRpcIsRefused", async () => {
    for (const service of ["git-upload-pack", "git-receive-pack"]) {
      const res = await rpc(service, validPush, { "Content-Type": "application/octet-stream" });
      assert.equal(res.status, 400, res.describe());
    }
    await assertRepoIntact("wrong content type");
  });
});
