// Pull requests with the real git client (spec §17.1): refs/pr/<n> is advertised and can be
// fetched; the PR's author (who cannot write to the repo) pushes commits to it and they become
// the PR's `commit` events; nobody else may, nor may the author push a branch, create a PR
// ref, delete one, or push to a merged PR. Every refusal leaves the repo as it was.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

import { startWharf, wharfAdmin } from "../lib/wharf.mjs";
import { fileOp, ndjson } from "../lib/hub_ops.mjs";
import { GitClient, cloneUrl, bareRefs, assertUntouched } from "../lib/git_client.mjs";

const STORE = "models/alice/proposals";
let server, client;
const tokens = {};

async function api(method, path, who, body, type = "application/json") {
  const headers = { Authorization: `Bearer ${tokens[who]}` };
  if (body !== undefined) headers["Content-Type"] = type;
  const res = await fetch(`${server.url}/api/${path}`, { method, headers, body });
  const text = await res.text();
  assert.equal(res.status, 200, `${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

// A clone of the repo as `who` (the token in the remote URL).
async function cloneAs(who) {
  const dir = client.dir(`work-${who}-${Date.now()}`);
  await client.ok(client.home, "clone", "-q", cloneUrl(server, "alice/proposals", { token: tokens[who] }), dir);
  return dir;
}

async function commitFile(dir, path, content, message) {
  writeFileSync(join(dir, path), content);
  await client.ok(dir, "add", "-A");
  await client.ok(dir, "commit", "-q", "-m", message);
  return client.ok(dir, "rev-parse", "HEAD");
}

// A push that the hook refuses with `pattern`; the repo keeps its refs.
async function refused(dir, what, args, pattern) {
  const refs = await bareRefs(server.dataDir, STORE);
  const r = await client.fails(dir, "push", "origin", ...args);
  assert.match(r.stderr, /pre-receive hook declined/, `${what}: git said\n${r.stderr}`);
  assert.match(r.stderr, pattern, `${what}: git said\n${r.stderr}`);
  await assertUntouched(server.dataDir, STORE, refs, what);
}

before(async () => {
  server = await startWharf();
  client = await new GitClient().init();
  for (const name of ["alice", "bob", "carol"]) {
    await wharfAdmin(server.dataDir, "user", "create", name);
    tokens[name] = await wharfAdmin(server.dataDir, "token", "create", "--user", name, "--role", "write");
  }
  await api("POST", "repos/create", "alice", JSON.stringify({ name: "proposals" }));
  await api("POST", "models/alice/proposals/commit/main", "alice",
            ndjson("Initial", [fileOp("README.md", "# Proposals\n")]), "application/x-ndjson");
});

after(async () => {
  client?.cleanup();
  await server?.stop();
});

test("TheAuthorPushesToTheirPullRequestAndTheCommitsBecomeEvents", async () => {
  const opened = await api("POST", "models/alice/proposals/commit/main?create_pr=1", "bob",
                           ndjson("Propose a change", [fileOp("idea.txt", "first idea\n")]), "application/x-ndjson");
  const num = Number(opened.pullRequestUrl.split("/").pop());
  const ref = `refs/pr/${num}`;

  const bob = await cloneAs("bob");
  const remote = await client.ok(bob, "ls-remote", "origin");
  assert.match(remote, new RegExp(`^${opened.commitOid}\\s+${ref}$`, "m"), "the PR ref is advertised");
  await client.ok(bob, "fetch", "-q", "origin", `${ref}:pr/${num}`);
  await client.ok(bob, "checkout", "-q", `pr/${num}`);
  assert.equal(await client.ok(bob, "rev-parse", "HEAD"), opened.commitOid);
  const one = await commitFile(bob, "idea.txt", "second idea\n", "Second idea");
  const two = await commitFile(bob, "more.txt", "more\n", "More");
  await client.ok(bob, "push", "-q", "origin", `pr/${num}:${ref}`);

  const d = await api("GET", `models/alice/proposals/discussions/${num}?diff=1`, "bob");
  assert.deepEqual(d.events.filter((e) => e.type === "commit").map((e) => [e.data.subject, e.data.oid, e.author?.name]), [
    ["Propose a change", opened.commitOid, "bob"], ["Second idea", one, "bob"], ["More", two, "bob"],
  ]);
  assert.match(d.diff, /^\+second idea$/m);
  assert.match(d.diff, /^\+more$/m);

  // Not bob's to push: main, a PR that does not exist, a deletion of the PR ref.
  await commitFile(bob, "x.txt", "x\n", "On main");
  await refused(bob, "bob to main", [`HEAD:refs/heads/main`], /only the repository's writers move branches/);
  await refused(bob, "bob to a new branch", [`HEAD:refs/heads/bob`], /only the repository's writers/);
  await refused(bob, "bob to a PR that does not exist", [`HEAD:refs/pr/${num + 7}`], /does not exist: open a pull request first/);
  await refused(bob, "delete the PR ref", ["--delete", ref], /cannot be deleted/);
  await client.ok(bob, "reset", "-q", "--hard", `pr/${num}`);

  // carol is neither the author nor a writer.
  const carol = await cloneAs("carol");
  await client.ok(carol, "fetch", "-q", "origin", `${ref}:pr/${num}`);
  await client.ok(carol, "checkout", "-q", `pr/${num}`);
  await commitFile(carol, "carol.txt", "c\n", "Carol's");
  await refused(carol, "carol to bob's PR", [`pr/${num}:${ref}`], /only the author of Pull request #\d+ and the repository's writers/);

  // alice (a writer) may push to it too, then merges; the PR takes no more pushes.
  const alice = await cloneAs("alice");
  await client.ok(alice, "fetch", "-q", "origin", `${ref}:pr/${num}`);
  await client.ok(alice, "checkout", "-q", `pr/${num}`);
  const reviewed = await commitFile(alice, "review.txt", "ok\n", "Review");
  await client.ok(alice, "push", "-q", "origin", `pr/${num}:${ref}`);
  await api("POST", `models/alice/proposals/discussions/${num}/merge`, "alice", "{}");
  const main = await api("GET", "models/alice/proposals/revision/main", "alice");
  assert.equal(main.sha, reviewed, "a fast-forward to the PR's head");
  await client.ok(bob, "fetch", "-q", "origin", ref);
  await client.ok(bob, "reset", "-q", "--hard", "FETCH_HEAD");
  await commitFile(bob, "late.txt", "late\n", "Late");
  await refused(bob, "push to a merged PR", [`HEAD:${ref}`], /is merged; reopen it before pushing/);

  // The merged PR stays fetchable.
  const fresh = await cloneAs("carol");
  await client.ok(fresh, "fetch", "-q", "origin", `${ref}:merged`);
  assert.equal(await client.ok(fresh, "rev-parse", "merged"), reviewed);
});
