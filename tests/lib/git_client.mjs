// The real `git` and `git-lfs` clients, for the git smart HTTP tests. Each GitClient has a
// HOME of its own (global config, git-lfs filters), so the user's config is never read or
// touched, and git never prompts: a missing credential is an error, not a hang.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";

import { git as gitInData } from "./hub_ops.mjs";

// Runs `cmd args` and resolves to {code, stdout, stderr} (stdout a Buffer when `binary`).
export function run(cmd, args, { cwd, env, input, binary = false, timeout = 60000 } = {}) {
  return new Promise((resolve) => {
    const p = execFile(cmd, args, { cwd, env, maxBuffer: 256 << 20, timeout, encoding: binary ? "buffer" : "utf8" },
      (err, stdout, stderr) => resolve({
        code: err ? (typeof err.code === "number" ? err.code : 1) : 0,
        signal: err?.signal ?? null,
        stdout,
        stderr: stderr.toString(),
      }));
    if (input !== undefined) p.stdin.end(input);
  });
}

export class GitClient {
  // Creates the HOME and its global config; `await client.init()` before the first command.
  constructor() {
    this.home = mkdtempSync(join(tmpdir(), "wharf-git-home-"));
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith("GIT_")) delete env[k];
    this.env = {
      ...env,
      HOME: this.home,
      XDG_CONFIG_HOME: join(this.home, ".config"),
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_TERMINAL_PROMPT: "0",
      GIT_ASKPASS: "",
      SSH_ASKPASS: "",
    };
  }

  async init() {
    for (const [k, v] of [["user.name", "Git Tester"], ["user.email", "tester@example.com"],
                          ["init.defaultBranch", "main"], ["advice.detachedHead", "false"],
                          ["credential.helper", ""], ["lfs.locksverify", "true"]]) {
      const r = await this.raw(["config", "--global", k, v]);
      assert.equal(r.code, 0, r.stderr);
    }
    const lfs = await this.raw(["lfs", "install", "--skip-repo"]);
    assert.equal(lfs.code, 0, lfs.stderr);
    return this;
  }

  // A directory under HOME for a clone or a work tree.
  dir(name) { return join(this.home, name); }

  // Runs git with `args` in `cwd` (HOME when omitted).
  raw(args, options = {}) {
    return run("git", args, { cwd: this.home, ...options, env: { ...this.env, ...(options.env ?? {}) } });
  }

  // Runs git in `cwd` and asserts success; resolves to trimmed stdout.
  async ok(cwd, ...args) {
    const r = await this.raw(args, { cwd });
    assert.equal(r.code, 0, `git ${args.join(" ")} failed (${r.code}):\n${r.stderr}`);
    return r.stdout.trim();
  }

  // Runs git in `cwd` and asserts failure; resolves to {code, stdout, stderr}.
  async fails(cwd, ...args) {
    const r = await this.raw(args, { cwd });
    assert.notEqual(r.code, 0, `git ${args.join(" ")} succeeded but should fail:\n${r.stdout}\n${r.stderr}`);
    return r;
  }

  cleanup() { rmSync(this.home, { recursive: true, force: true }); }
}

// The clone URL of a repo, with a token as the Basic password when given.
export function cloneUrl(server, repoPath, { token, user = "user", suffix = "" } = {}) {
  const base = new URL(server.url);
  const auth = token ? `${user}:${token}@` : "";
  return `${base.protocol}//${auth}${base.host}/${repoPath}${suffix}`;
}

// The bare repo's refs as {ref: sha}, read straight from git in the data dir.
// `storePath` is "models/admin/name", "datasets/admin/name", ...
export async function bareRefs(dataDir, storePath) {
  const r = await gitInData(dataDir, storePath, "for-each-ref", "--format=%(refname) %(objectname)");
  assert.equal(r.code, 0, r.stderr);
  const out = {};
  for (const line of r.stdout.split("\n").filter(Boolean)) {
    const [ref, sha] = line.split(" ");
    out[ref] = sha;
  }
  return out;
}

// Asserts `git fsck --strict` finds nothing wrong in the bare repo.
export async function assertFsckClean(dataDir, storePath) {
  const r = await gitInData(dataDir, storePath, "fsck", "--strict", "--no-progress", "--no-dangling");
  assert.equal(r.code, 0, `git fsck --strict on ${storePath}:\n${r.stdout}\n${r.stderr}`);
  assert.doesNotMatch(r.stdout + r.stderr, /error|missing|broken|corrupt/i, `git fsck --strict on ${storePath}`);
}

// Asserts that the bare repo has exactly the refs `before` and passes fsck.
export async function assertUntouched(dataDir, storePath, before, what) {
  assert.deepEqual(await bareRefs(dataDir, storePath), before, `${what}: the refs changed`);
  await assertFsckClean(dataDir, storePath);
}

// The sha the metadata index (the database row) records for a repo's default branch.
export async function indexedSha(dataDir, type, ns, name) {
  const r = await run("sqlite3", ["-readonly", "-separator", " ", join(dataDir, "wharf.db"),
    `SELECT sha FROM repos WHERE type = '${type}' AND namespace = '${ns}' AND name = '${name}'`]);
  assert.equal(r.code, 0, `sqlite3: ${r.stderr}`);
  return r.stdout.trim();
}

// Asserts that the API's info sha and the index both equal main in the bare repo, and
// returns that sha. `type` is "model", "dataset" or "space".
export async function assertIndexMatchesGit(server, name, { type = "model", ns = "admin" } = {}) {
  const head = await gitInData(server.dataDir, `${type}s/${ns}/${name}`, "rev-parse", "--verify", "refs/heads/main");
  assert.equal(head.code, 0, head.stderr);
  const sha = head.stdout.trim();
  const res = await fetch(`${server.url}/api/${type}s/${ns}/${name}`, { headers: { Authorization: `Bearer ${server.token}` } });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).sha, sha, "the info sha is main in git");
  assert.equal(await indexedSha(server.dataDir, type, ns, name), sha, "the index records main in git");
  return sha;
}

// One pkt-line of the git protocol: four hex digits of length, then the payload.
export function pktLine(payload) {
  const body = Buffer.from(payload);
  return Buffer.concat([Buffer.from((body.length + 4).toString(16).padStart(4, "0")), body]);
}

export const FLUSH = Buffer.from("0000");
export const ZERO_SHA = "0".repeat(40);

// A receive-pack request: ref update commands ("old new ref"), the capabilities on the
// first, a flush, then `pack` (none for deletions only).
export function receivePackRequest(commands, pack, caps = "report-status") {
  const lines = commands.map((c, i) => pktLine(i === 0 ? `${c}\0${caps}\n` : `${c}\n`));
  return Buffer.concat([...lines, FLUSH, ...(pack ? [pack] : [])]);
}

// A pack with no objects: what git sends when every object of a push is already there.
export function emptyPack() {
  const head = Buffer.from([0x50, 0x41, 0x43, 0x4b, 0, 0, 0, 2, 0, 0, 0, 0]);
  return Buffer.concat([head, createHash("sha1").update(head).digest()]);
}
