// Crash test, in the manner of SQLite's: run many concurrent uploads and commits, SIGKILL
// the server at a random instant mid-flight, restart it on the same data dir, and check
// that the data dir is whole (ARCHITECTURE decision 4: "a crash at any instant leaves every
// branch at its old or its new commit, never between"):
//   - every repository passes `git fsck --strict`; every branch and tag peels to a commit
//     whose tree is readable;
//   - every commit acknowledged with 200 before the kill is on its branch;
//   - the index was rebuilt from git: the info sha and the database's sha equal the ref;
//   - every file lfs/aa/bb/<oid> hashes to <oid>, every acknowledged upload is there, every
//     LFS pointer in any branch names a stored object;
//   - tmp/ holds no object under its final name.
// Three rounds, killed at three different delays. The workload uses node's fetch (the
// point is the server's durability, and curl's start-up cost would thin the load).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

import { startWharf } from "../lib/wharf.mjs";

const sha256 = (buf) => createHash("sha256").update(buf).digest("hex");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const REPOS = ["crash-0", "crash-1", "crash-2"];

function run(cmd, args, input) {
  return new Promise((resolve) => {
    const p = execFile(cmd, args, { maxBuffer: 256 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }));
    if (input !== undefined) p.stdin.end(input);
  });
}

const gitIn = (dataDir, repoDir, ...args) => run("git", [`--git-dir=${join(dataDir, "repos", repoDir)}`, ...args]);

// What the workload saw acknowledged before the kill.
class Acks {
  constructor() {
    this.commits = [];   // {repo, branch, commit}
    this.objects = [];   // LFS oids whose PUT answered 200
    this.repos = [];     // repo names whose create answered 200
    this.branches = [];  // {repo, branch}
  }
}

// A client of one server for the workload. Every call throws when the server is gone.
class Client {
  constructor(server) {
    this.url = server.url;
    this.auth = { Authorization: `Bearer ${server.token}` };
  }
  async json(method, path, body, type = "application/json") {
    const res = await fetch(this.url + path, {
      method, headers: { ...this.auth, "Content-Type": type }, body,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  commit(repo, branch, lines) {
    const body = lines.map((l) => JSON.stringify(l)).join("\n") + "\n";
    return this.json("POST", `/api/models/admin/${repo}/commit/${encodeURIComponent(branch)}`, body, "application/x-ndjson");
  }
  async batch(repo, oid, size) {
    const r = await this.json("POST", `/admin/${repo}.git/info/lfs/objects/batch`,
      JSON.stringify({ operation: "upload", transfers: ["basic"], objects: [{ oid, size }] }), "application/vnd.git-lfs+json");
    if (r.status !== 200) throw new Error(`batch ${r.status}`);
    return r.body.objects[0];
  }
  // PUTs `content` to a signed href; with `dripMs`, in 64 KiB pieces with a pause between,
  // so that an upload is always half-received when the kill comes.
  async put(href, content, dripMs = 0) {
    let body = content;
    const init = { method: "PUT", headers: { "Content-Length": String(content.length) } };
    if (dripMs) {
      body = new ReadableStream({
        async start(controller) {
          for (let i = 0; i < content.length; i += 65536) {
            controller.enqueue(content.subarray(i, i + 65536));
            await sleep(dripMs);
          }
          controller.close();
        },
      });
      init.duplex = "half";
    }
    const res = await fetch(href, { ...init, body });
    await res.arrayBuffer();
    return res.status;
  }
}

const fileLine = (path, content) => ({ key: "file", value: { path, content: Buffer.from(content).toString("base64"), encoding: "base64" } });
const header = (summary) => ({ key: "header", value: { summary, description: "" } });

// The workers: each loops until `stop.now`, swallowing the errors of a dying server.
function workload(client, acks, stop, round) {
  const loop = async (fn) => {
    for (let n = 0; !stop.now; n++) {
      try {
        await fn(n);
      } catch {
        if (!stop.now) await sleep(5);
      }
    }
  };
  const commits = (w) => loop(async (n) => {
    const repo = REPOS[(w + n) % REPOS.length];
    const lines = [header(`r${round} w${w} n${n}`)];
    for (let i = 0; i < 3; i++) lines.push(fileLine(`w${w}/f${(n + i) % 7}.txt`, randomBytes(200 + n * 13).toString("hex")));
    if (n % 4 === 3) lines.push({ key: "deletedFolder", value: { path: `w${w}/` } });
    const r = await client.commit(repo, "main", lines);
    if (r.status === 200) acks.commits.push({ repo, branch: "main", commit: r.body.commitOid });
  });
  const lfs = (w, dripMs) => loop(async (n) => {
    const repo = REPOS[(w + n) % REPOS.length];
    const content = randomBytes((2 << 20) + ((n * 7919) % (2 << 20)));
    const oid = sha256(content);
    const obj = await client.batch(repo, oid, content.length);
    if (obj.actions?.upload) {
      const status = await client.put(obj.actions.upload.href, content, dripMs);
      if (status !== 200) return;
    }
    acks.objects.push(oid);
    const r = await client.commit(repo, "main", [header(`lfs r${round} w${w} n${n}`),
      { key: "lfsFile", value: { path: `lfs/w${w}-${n % 5}.bin`, algo: "sha256", oid, size: content.length } }]);
    if (r.status === 200) acks.commits.push({ repo, branch: "main", commit: r.body.commitOid });
  });
  const branches = () => loop(async (n) => {
    const repo = REPOS[n % REPOS.length];
    const branch = `side/r${round}-${n % 4}`;
    const created = await client.json("POST", `/api/models/admin/${repo}/branch/${encodeURIComponent(branch)}`, "{}");
    if (created.status === 200) acks.branches.push({ repo, branch });
    const r = await client.commit(repo, branch, [header(`side ${n}`), fileLine(`side/${n}.txt`, `side ${n}`)]);
    if (r.status === 200) acks.commits.push({ repo, branch, commit: r.body.commitOid });
  });
  const creates = () => loop(async (n) => {
    const name = `fresh-r${round}-${n}`;
    const r = await client.json("POST", "/api/repos/create", JSON.stringify({ name }));
    if (r.status === 200) acks.repos.push(name);
    await sleep(30);
  });
  return Promise.all([commits(0), commits(1), commits(2), lfs(0, 0), lfs(1, 0), lfs(2, 4), branches(), creates()]);
}

function repoDirs(dataDir) {
  const out = [];
  for (const type of readdirSync(join(dataDir, "repos"))) {
    for (const ns of readdirSync(join(dataDir, "repos", type))) {
      for (const name of readdirSync(join(dataDir, "repos", type, ns))) out.push(`${type}/${ns}/${name}`);
    }
  }
  return out;
}

// Runs `fn` on every item, at most `limit` at a time.
async function eachLimited(items, limit, fn) {
  const queue = [...items];
  await Promise.all(Array.from({ length: limit }, async () => {
    while (queue.length) await fn(queue.shift());
  }));
}

function hashFile(path) {
  return new Promise((resolve, reject) => {
    const h = createHash("sha256");
    createReadStream(path).on("data", (d) => h.update(d)).on("end", () => resolve(h.digest("hex"))).on("error", reject);
  });
}

// LFS pointers among the blobs of `ref` (small blobs only: pointers are ~130 bytes).
async function pointersOf(dataDir, repoDir, ref) {
  const ls = await gitIn(dataDir, repoDir, "ls-tree", "-r", "-l", ref);
  assert.equal(ls.code, 0, `ls-tree ${repoDir} ${ref}: ${ls.stderr}`);
  const small = ls.stdout.split("\n").filter(Boolean).map((l) => l.split(/\s+/))
    .filter(([, type, , size]) => type === "blob" && Number(size) < 200).map(([, , oid]) => oid);
  if (!small.length) return [];
  const cat = await run("git", [`--git-dir=${join(dataDir, "repos", repoDir)}`, "cat-file", "--batch"], small.join("\n") + "\n");
  return [...cat.stdout.matchAll(/^oid sha256:([0-9a-f]{64})$/gm)].map((m) => m[1]);
}

async function verifyDataDir(server, acks, label) {
  const dataDir = server.dataDir;
  const problems = [];
  const dirs = repoDirs(dataDir);

  // Git: fsck, every ref readable, acknowledged commits on their branches.
  const refsOf = {};
  await eachLimited(dirs, 4, async (dir) => {
    const fsck = await gitIn(dataDir, dir, "fsck", "--strict", "--no-progress", "--no-dangling");
    if (fsck.code !== 0 || /error|missing|broken|corrupt|bad/i.test(fsck.stdout + fsck.stderr))
      problems.push(`fsck ${dir}: ${fsck.stdout}${fsck.stderr}`);
    const refs = await gitIn(dataDir, dir, "for-each-ref", "--format=%(refname)", "refs/heads", "refs/tags");
    refsOf[dir] = refs.stdout.split("\n").filter(Boolean);
    for (const ref of refsOf[dir]) {
      const tree = await gitIn(dataDir, dir, "rev-parse", "--verify", `${ref}^{tree}`);
      if (tree.code !== 0) problems.push(`${dir} ${ref}^{tree}: ${tree.stderr}`);
      const ls = await gitIn(dataDir, dir, "ls-tree", "-r", ref);
      if (ls.code !== 0) problems.push(`${dir} ls-tree ${ref}: ${ls.stderr}`);
    }
  });
  const history = {};
  for (const { repo, branch, commit } of acks.commits) {
    const key = `${repo} ${branch}`;
    if (!history[key]) {
      const list = await gitIn(dataDir, `models/admin/${repo}.git`, "rev-list", `refs/heads/${branch}`);
      history[key] = new Set(list.stdout.split("\n"));
    }
    if (!history[key].has(commit)) problems.push(`acknowledged commit ${commit} is not on ${key}`);
  }
  for (const { repo, branch } of acks.branches) {
    if (!refsOf[`models/admin/${repo}.git`]?.includes(`refs/heads/${branch}`))
      problems.push(`acknowledged branch ${repo} ${branch} is gone`);
  }

  // The index: the database row and the API answer agree with git for every repo.
  const db = await run("sqlite3", ["-readonly", "-separator", " ", join(dataDir, "wharf.db"),
    "SELECT type, namespace, name, sha FROM repos"]);
  assert.equal(db.code, 0, `sqlite3: ${db.stderr}`);
  const rows = db.stdout.split("\n").filter(Boolean).map((l) => l.split(" "));
  for (const name of acks.repos) {
    if (!rows.some(([, ns, n]) => ns === "admin" && n === name)) problems.push(`acknowledged repo ${name} is missing`);
  }
  for (const [type, ns, name, sha] of rows) {
    const dir = `${type}s/${ns}/${name}.git`;
    const ref = await gitIn(dataDir, dir, "rev-parse", "--verify", "refs/heads/main");
    if (ref.code !== 0) {
      problems.push(`repo ${dir} has no main: ${ref.stderr}`);
      continue;
    }
    const head = ref.stdout.trim();
    if (sha !== head) problems.push(`index of ${dir} says ${sha}, git says ${head}`);
    const res = await fetch(`${server.url}/api/${type}s/${ns}/${name}`, { headers: { Authorization: `Bearer ${server.token}` } });
    const info = await res.json();
    if (res.status !== 200 || info.sha !== head) problems.push(`info of ${dir}: ${res.status} sha ${info.sha}, git ${head}`);
  }

  // LFS: every stored object hashes to its name, in its aa/bb directory.
  const storedOids = new Set();
  const lfsRoot = join(dataDir, "lfs");
  for (const aa of existsSync(lfsRoot) ? readdirSync(lfsRoot) : []) {
    for (const bb of readdirSync(join(lfsRoot, aa))) {
      for (const name of readdirSync(join(lfsRoot, aa, bb))) {
        const path = join(lfsRoot, aa, bb, name);
        if (!/^[0-9a-f]{64}$/.test(name) || name.slice(0, 2) !== aa || name.slice(2, 4) !== bb) {
          problems.push(`stray file in the LFS store: ${aa}/${bb}/${name}`);
          continue;
        }
        const actual = await hashFile(path);
        if (actual !== name) problems.push(`LFS object ${name} hashes to ${actual} (${statSync(path).size} bytes)`);
        storedOids.add(name);
      }
    }
  }
  for (const oid of acks.objects) if (!storedOids.has(oid)) problems.push(`acknowledged upload ${oid} is not stored`);
  await eachLimited(dirs, 4, async (dir) => {
    for (const ref of refsOf[dir].filter((r) => r.startsWith("refs/heads/"))) {
      for (const oid of await pointersOf(dataDir, dir, ref)) {
        if (!storedOids.has(oid)) problems.push(`${dir} ${ref} points at LFS object ${oid}, which is not stored`);
      }
    }
  });

  // Ref locks: a writer killed mid-update leaves refs/heads/<b>.lock, and while it stays,
  // every commit to <b> fails. The restarted server must have cleared them.
  for (const dir of dirs) {
    const root = join(dataDir, "repos", dir);
    const locks = readdirSync(join(root, "refs"), { recursive: true }).filter((n) => String(n).endsWith(".lock"));
    if (existsSync(join(root, "packed-refs.lock"))) locks.push("packed-refs.lock");
    for (const lock of locks) problems.push(`${dir}: stale lock ${lock} after restart`);
  }

  // tmp/: partial uploads may be there, but never under an object's final name.
  for (const name of readdirSync(join(dataDir, "tmp"))) {
    if (/^[0-9a-f]{64}$/.test(name)) problems.push(`tmp/${name} is named like a stored object`);
  }

  assert.deepEqual(problems, [], `${label}: the data dir is not whole after the crash`);
  return { repos: rows.length, objects: storedOids.size, tmp: readdirSync(join(dataDir, "tmp")).length };
}

test("the data dir is whole after SIGKILL at random instants mid-upload and mid-commit", { timeout: 90000 }, async (t) => {
  let server = await startWharf();
  const { token, dataDir } = server;
  const setup = new Client(server);
  for (const name of REPOS) {
    const r = await setup.json("POST", "/api/repos/create", JSON.stringify({ name }));
    assert.equal(r.status, 200);
  }
  const acks = new Acks();
  // Three rounds, each killed within a different window after the load starts (ms).
  const windows = [[250, 600], [700, 1300], [1500, 2500]];
  try {
    for (const [round, [lo, hi]] of windows.entries()) {
      const delay = lo + Math.floor(Math.random() * (hi - lo));
      const stop = { now: false };
      const before = { commits: acks.commits.length, objects: acks.objects.length };
      const load = workload(new Client(server), acks, stop, round);
      await sleep(delay);
      await server.kill9();
      stop.now = true;
      await load;
      const made = { commits: acks.commits.length - before.commits, objects: acks.objects.length - before.objects };
      assert.ok(made.commits > 0, `round ${round}: the load acknowledged no commit in ${delay} ms`);

      const t0 = Date.now();
      server = await startWharf({ dataDir, token });
      const t1 = Date.now();
      const seen = await verifyDataDir(server, acks, `round ${round} (killed after ${delay} ms)`);
      t.diagnostic(`round ${round}: killed after ${delay} ms; ${made.commits} commits and ${made.objects} uploads ` +
        `acknowledged; restart ${t1 - t0} ms, verify ${Date.now() - t1} ms; ${seen.repos} repos, ${seen.objects} objects, ${seen.tmp} entries left in tmp/`);
    }
    // The restarted server still takes writes on every branch the load wrote to.
    const client = new Client(server);
    const branches = new Set([...REPOS.map((repo) => `${repo} main`), ...acks.branches.map((b) => `${b.repo} ${b.branch}`)]);
    for (const key of branches) {
      const [repo, branch] = key.split(" ");
      const r = await client.commit(repo, branch, [header("after the crashes"), fileLine("after.txt", "alive")]);
      assert.equal(r.status, 200, `commit to ${key} after the crashes: ${JSON.stringify(r.body)}`);
    }
  } finally {
    try {
      await server.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
});
