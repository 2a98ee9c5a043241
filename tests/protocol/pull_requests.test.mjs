// Pull requests (spec §12, §10.4) over fetch, as the clients send them: create_pr on preupload
// and commit by a user who cannot write, commits to refs/pr/<n> becoming `commit` events,
// details with changes, filesWithConflicts and diff, refs?include_prs=1, merges (fast-forward,
// merge commit on a moved base, conflicts refused with the files named, two merges at once),
// drafts opened through the discussions API, close and reopen, discussions turned off, and bad
// input that changes nothing.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { startWharf, wharfAdmin } from "../lib/wharf.mjs";
import { apiCaller, ok, refused } from "../lib/api_calls.mjs";
import { fileOp, ndjson } from "../lib/hub_ops.mjs";

let server;
const tokens = {};  // user -> write token

const call = apiCaller(() => server, tokens);

const api = (repo, rest) => `models/alice/${repo}/${rest}`;
const commitTo = (repo, who, rev, summary, ops, { createPr = false, parentCommit } = {}) =>
  call(api(repo, `commit/${encodeURIComponent(rev)}${createPr ? "?create_pr=1" : ""}`), {
    who, method: "POST", raw: ndjson(summary, ops, { parentCommit }), type: "application/x-ndjson",
  });
const details = (repo, num, diff = false) => ok(call(api(repo, `discussions/${num}${diff ? "?diff=1" : ""}`)));
const head = async (repo, branch = "main") =>
  (await ok(call(api(repo, `revision/${encodeURIComponent(branch)}`)))).sha;
const raw = async (repo, rev, path) => {
  const res = await fetch(`${server.url}/alice/${repo}/raw/${encodeURIComponent(rev)}/${path}`);
  return res.status === 200 ? res.text() : null;
};
const numOf = (url) => Number(url.split("/").pop());

before(async () => {
  server = await startWharf();
  for (const name of ["alice", "bob", "carol"]) {
    await wharfAdmin(server.dataDir, "user", "create", name);
    tokens[name] = await wharfAdmin(server.dataDir, "token", "create", "--user", name, "--role", "write");
  }
  for (const name of ["pr", "moved", "conflict", "race", "draft", "off", "bad"]) {
    await ok(call("repos/create", { who: "alice", method: "POST", body: { name } }));
    await ok(commitTo(name, "alice", "main", "Initial", [fileOp("README.md", "# Title\n\nline one\n"), fileOp("a.txt", "a\n")]));
  }
});

after(async () => {
  await server?.stop();
});

test("CreatePrCommitByANonWriterOpensAPullRequestAndLeavesMainAlone", async () => {
  const mainBefore = await head("pr");
  // bob cannot write to alice's repo, but may propose.
  await refused(commitTo("pr", "bob", "main", "Direct", [fileOp("b.txt", "b\n")]), 403);
  const pre = await ok(call(api("pr", "preupload/main?create_pr=1"), {
    who: "bob", method: "POST", body: { files: [{ path: "b.txt", size: 2, sample: "Ygo=" }] },
  }));
  assert.equal(pre.files[0].uploadMode, "regular");
  const res = await ok(commitTo("pr", "bob", "main", "Add b.txt", [fileOp("b.txt", "b\n")], { createPr: true }));
  assert.match(res.commitOid, /^[0-9a-f]{40}$/);
  assert.equal(res.pullRequestUrl, `${server.url}/alice/pr/discussions/1`);
  assert.equal(res.commitUrl, `${server.url}/alice/pr/commit/${res.commitOid}`);
  assert.equal(await head("pr"), mainBefore, "main does not move");

  const d = await details("pr", 1);
  assert.equal(d.isPullRequest, true);
  assert.equal(d.status, "open");
  assert.equal(d.title, "Add b.txt");
  assert.deepEqual(d.author, { name: "bob" });
  assert.deepEqual(d.changes, { base: "refs/heads/main" });
  assert.deepEqual(d.filesWithConflicts, []);
  assert.deepEqual(d.events.map((e) => e.type), ["commit"]);
  assert.deepEqual(d.events[0].data, { subject: "Add b.txt", oid: res.commitOid });
  assert.deepEqual(d.events[0].author, { name: "bob" });
  assert.equal(d.diff, undefined, "no diff unless asked");

  const refs = await ok(call(api("pr", "refs?include_prs=1")));
  assert.deepEqual(refs.pullRequests, [{ name: "1", ref: "refs/pr/1", targetCommit: res.commitOid }]);
  assert.equal(await raw("pr", "refs/pr/1", "b.txt"), "b\n");
  assert.equal(await raw("pr", "main", "b.txt"), null);

  // The author adds a commit to the PR ref; so can a writer; others cannot.
  const second = await ok(commitTo("pr", "bob", "refs/pr/1", "Fix b.txt", [fileOp("b.txt", "b, fixed\n")]));
  await refused(commitTo("pr", "carol", "refs/pr/1", "Not mine", [fileOp("c.txt", "c\n")]), 403);
  const third = await ok(commitTo("pr", "alice", "refs/pr/1", "Review fix", [fileOp("c.txt", "c\n")]));
  await refused(commitTo("pr", "bob", "refs/pr/99", "Nowhere", [fileOp("c.txt", "c\n")]), 404, null, "RevisionNotFound");
  // The preupload of a PR ref follows the same rule.
  await ok(call(api("pr", "preupload/refs%2Fpr%2F1"), {
    who: "bob", method: "POST", body: { files: [{ path: "b.txt", size: 2, sample: "Ygo=" }] },
  }));

  const after2 = await details("pr", 1, true);
  assert.deepEqual(after2.events.filter((e) => e.type === "commit").map((e) => [e.data.subject, e.data.oid, e.author.name]), [
    ["Add b.txt", res.commitOid, "bob"], ["Fix b.txt", second.commitOid, "bob"], ["Review fix", third.commitOid, "alice"],
  ]);
  assert.match(after2.diff, /^diff --git a\/b.txt b\/b.txt$/m);
  assert.match(after2.diff, /^\+b, fixed$/m);
  assert.match(after2.diff, /^diff --git a\/c.txt b\/c.txt$/m);
  assert.doesNotMatch(after2.diff, /README/);

  // Merging: the author is no writer; alice merges with no body at all (fast-forward).
  await refused(call(api("pr", "discussions/1/merge"), { who: "bob", method: "POST" }), 403);
  const merged = await ok(call(api("pr", "discussions/1/merge"), { who: "alice", method: "POST" }));
  assert.equal(merged.newStatus.type, "status-change");
  assert.deepEqual(merged.newStatus.data, { status: "merged" });
  assert.equal(await head("pr"), third.commitOid, "a fast-forward");
  assert.equal(await raw("pr", "main", "b.txt"), "b, fixed\n");
  const done = await details("pr", 1, true);
  assert.equal(done.status, "merged");
  assert.deepEqual(done.changes, { base: "refs/heads/main", mergeCommitId: third.commitOid });
  assert.match(done.diff, /^\+b, fixed$/m, "a merged PR keeps its diff");
  // Merged is final.
  await refused(call(api("pr", "discussions/1/merge"), { who: "alice", method: "POST" }), 400, /already merged/);
  await refused(call(api("pr", "discussions/1/status"), { who: "alice", method: "POST", body: { status: "closed" } }), 400, /merged/);
  await refused(commitTo("pr", "bob", "refs/pr/1", "Late", [fileOp("d.txt", "d\n")]), 400, /merged/);
  // Comments on a merged PR are still welcome; the list filters it as closed.
  await ok(call(api("pr", "discussions/1/comment"), { who: "carol", method: "POST", body: { comment: "Thanks!" } }));
  assert.equal((await ok(call(api("pr", "discussions?status=closed&type=pull_request")))).count, 1);
  assert.equal((await ok(call(api("pr", "discussions?status=open")))).count, 0);
});

test("AMergeOnAMovedBaseMakesAMergeCommit", async () => {
  const base = await head("moved");
  const pr = await ok(commitTo("moved", "bob", "main", "Add b.txt", [fileOp("b.txt", "b\n")], { createPr: true }));
  const moved = await ok(commitTo("moved", "alice", "main", "Change a.txt", [fileOp("a.txt", "a2\n")]));
  const d = await details("moved", numOf(pr.pullRequestUrl), true);
  assert.deepEqual(d.filesWithConflicts, []);
  assert.match(d.diff, /b.txt/);
  assert.doesNotMatch(d.diff, /a.txt/, "the diff is from the merge base, not from the moved base");

  await ok(call(api("moved", "discussions/1/merge"), { who: "alice", method: "POST", body: { comment: "Merging, thanks" } }));
  const sha = await head("moved");
  const commits = await ok(call(api("moved", "commits/main")));
  assert.equal(commits[0].id, sha);
  assert.match(commits[0].title, /Merge pull request #1/);
  const info = await ok(call(api("moved", `revision/${sha}`)));
  assert.equal(info.sha, sha);
  assert.notEqual(sha, pr.commitOid);
  assert.equal(await raw("moved", "main", "a.txt"), "a2\n");
  assert.equal(await raw("moved", "main", "b.txt"), "b\n");
  const done = await details("moved", 1);
  assert.equal(done.changes.mergeCommitId, sha);
  assert.deepEqual(done.events.slice(-2).map((e) => e.type), ["comment", "status-change"]);
  assert.equal(done.events.at(-2).data.latest.raw, "Merging, thanks");
  assert.ok(base && moved.commitOid);
});

test("ConflictsAreNamedAndRefuseTheMerge", async () => {
  const pr = await ok(commitTo("conflict", "bob", "main", "Reword", [fileOp("README.md", "# Title\n\nline uno\n"), fileOp("new.txt", "n\n")],
                                { createPr: true }));
  await ok(commitTo("conflict", "alice", "main", "Reword too", [fileOp("README.md", "# Title\n\nline eins\n")]));
  const mainBefore = await head("conflict");
  const num = numOf(pr.pullRequestUrl);
  const d = await details("conflict", num);
  assert.deepEqual(d.filesWithConflicts, ["README.md"]);
  const r = await refused(call(api("conflict", `discussions/${num}/merge`), { who: "alice", method: "POST" }), 409,
                          /README\.md/, "MergeConflict");
  assert.deepEqual(r.json.filesWithConflicts, ["README.md"]);
  assert.equal(await head("conflict"), mainBefore, "main did not move");
  assert.equal((await details("conflict", num)).status, "open");

  // The author resolves: a commit on the PR built on main's wording.
  await ok(commitTo("conflict", "bob", `refs/pr/${num}`, "Resolve", [fileOp("README.md", "# Title\n\nline eins\n")]));
  // The PR's history has no merge of main, but both sides now say "line eins": a three-way
  // merge of identical changes is clean.
  const resolved = await details("conflict", num);
  assert.deepEqual(resolved.filesWithConflicts, []);
  await ok(call(api("conflict", `discussions/${num}/merge`), { who: "alice", method: "POST", body: {} }));
  assert.equal(await raw("conflict", "main", "README.md"), "# Title\n\nline eins\n");
  assert.equal(await raw("conflict", "main", "new.txt"), "n\n");
});

test("TwoMergesAtOnceMergeOnce", async () => {
  const a = await ok(commitTo("race", "bob", "main", "Add x", [fileOp("x.txt", "x\n")], { createPr: true }));
  const b = await ok(commitTo("race", "carol", "main", "Add y", [fileOp("y.txt", "y\n")], { createPr: true }));
  const merge = (num) => call(api("race", `discussions/${num}/merge`), { who: "alice", method: "POST" });
  // The same PR twice at once: one merges, the other is told it already did.
  const same = await Promise.all([merge(numOf(a.pullRequestUrl)), merge(numOf(a.pullRequestUrl))]);
  assert.deepEqual(same.map((r) => r.status).sort(), [200, 400], same.map((r) => r.text).join("\n"));
  assert.match(same.find((r) => r.status === 400).json.error, /already merged/);
  // Two PRs into one branch at once: both land, one after the other.
  const c = await ok(commitTo("race", "carol", "main", "Add z", [fileOp("z.txt", "z\n")], { createPr: true }));
  const both = await Promise.all([merge(numOf(b.pullRequestUrl)), merge(numOf(c.pullRequestUrl))]);
  assert.deepEqual(both.map((r) => r.status), [200, 200], both.map((r) => r.text).join("\n"));
  for (const f of ["x.txt", "y.txt", "z.txt"]) assert.ok(await raw("race", "main", f), f);
  // x fast-forwarded; y (built before x landed) needs a merge commit; z fast-forwards when it
  // goes first, and needs one when y went first.
  const merges = (await ok(call(api("race", "commits/main")))).filter((c2) => /^Merge pull request/.test(c2.title));
  assert.ok(merges.length === 1 || merges.length === 2, `${merges.length} merge commits`);
  const statuses = await Promise.all([a, b, c].map((p) => details("race", numOf(p.pullRequestUrl))));
  assert.deepEqual(statuses.map((d) => d.status), ["merged", "merged", "merged"]);
});

test("DraftThroughTheDiscussionsApiCloseReopenMerge", async () => {
  const created = await ok(call(api("draft", "discussions"), {
    who: "bob", method: "POST", body: { title: "Better card", description: "Working on it", pullRequest: true },
  }));
  const num = created.num;
  const d = await details("draft", num);
  assert.equal(d.status, "draft");
  assert.equal(d.isPullRequest, true);
  assert.deepEqual(d.changes, { base: "refs/heads/main" });
  assert.deepEqual(d.events.map((e) => e.type), ["comment"]);
  const refs = await ok(call(api("draft", "refs?include_prs=1")));
  assert.equal(refs.pullRequests[0].targetCommit, await head("draft"), "the draft starts at main");
  assert.equal((await ok(call(api("draft", "refs")))).pullRequests, undefined);
  // A draft is published before it merges (as on the Hub).
  await refused(call(api("draft", `discussions/${num}/merge`), { who: "alice", method: "POST" }), 400, /draft; publish it/);

  await ok(commitTo("draft", "bob", `refs/pr/${num}`, "Card", [fileOp("README.md", "# Better\n")]));
  await refused(call(api("draft", `discussions/${num}/merge`), { who: "alice", method: "POST" }), 400, /draft/);
  // The author publishes, closes and reopens; carol (neither author nor writer) may not.
  await refused(call(api("draft", `discussions/${num}/status`), { who: "carol", method: "POST", body: { status: "closed" } }), 403);
  await ok(call(api("draft", `discussions/${num}/status`), { who: "bob", method: "POST", body: { status: "open" } }));
  await ok(call(api("draft", `discussions/${num}/status`), { who: "bob", method: "POST", body: { status: "closed", comment: "Later" } }));
  await refused(call(api("draft", `discussions/${num}/merge`), { who: "alice", method: "POST" }), 400, /closed/);
  await refused(commitTo("draft", "bob", `refs/pr/${num}`, "While closed", [fileOp("x", "x")]), 400, /closed/);
  await ok(call(api("draft", `discussions/${num}/status`), { who: "alice", method: "POST", body: { status: "open" } }));
  await ok(call(api("draft", `discussions/${num}/merge`), { who: "alice", method: "POST", body: { comment: "" } }));
  assert.equal(await raw("draft", "main", "README.md"), "# Better\n");
  const types = (await details("draft", num)).events.map((e) => e.type === "status-change" ? e.data.status : e.type);
  assert.deepEqual(types, ["comment", "commit", "open", "comment", "closed", "open", "merged"]);
});

test("TheOwnerTurnsDiscussionsOff", async () => {
  await ok(call(api("off", "discussions"), { who: "bob", method: "POST", body: { title: "Before" } }));
  await refused(call("models/alice/off/settings", { who: "bob", method: "PUT", body: { discussionsDisabled: true } }), 403);
  await ok(call("models/alice/off/settings", { who: "alice", method: "PUT", body: { discussionsDisabled: true } }));
  await refused(call(api("off", "discussions"), { who: "bob", method: "POST", body: { title: "After" } }), 403, /disabled/);
  await refused(call(api("off", "discussions/1/comment"), { who: "bob", method: "POST", body: { comment: "Hello?" } }), 403, /disabled/);
  await refused(commitTo("off", "bob", "main", "PR", [fileOp("b", "b")], { createPr: true }), 403, /disabled/);
  // What exists stays readable.
  assert.equal((await ok(call(api("off", "discussions")))).count, 1);
  await refused(call("models/alice/off/settings", { who: "alice", method: "PUT", body: { discussionsDisabled: "yes" } }), 400);
  await ok(call("models/alice/off/settings", { who: "alice", method: "PUT", body: { discussionsDisabled: false } }));
  await ok(call(api("off", "discussions/1/comment"), { who: "bob", method: "POST", body: { comment: "Back" } }));
});

test("BadInputChangesNothing", async () => {
  const mainBefore = await head("bad");
  const refsBefore = await ok(call(api("bad", "refs?include_prs=1")));
  // A PR goes into a branch.
  await refused(commitTo("bad", "bob", "refs/pr/1", "Into a PR", [fileOp("b", "b")], { createPr: true }), 404);
  await refused(commitTo("bad", "bob", "nope", "Into nothing", [fileOp("b", "b")], { createPr: true }), 404, null, "RevisionNotFound");
  // A description over 64 KiB, a title over 200 characters, an unknown parent.
  const huge = ndjson("Huge", [fileOp("b", "b")]).replace('"description":""', `"description":"${"x".repeat(70000)}"`);
  await refused(call(api("bad", "commit/main?create_pr=1"), { who: "bob", method: "POST", raw: huge, type: "application/x-ndjson" }), 413);
  await refused(commitTo("bad", "bob", "main", "t".repeat(201), [fileOp("b", "b")], { createPr: true }), 400, /200/);
  await refused(commitTo("bad", "bob", "main", "Parent", [fileOp("b", "b")], { createPr: true, parentCommit: "0123456789abcdef0123456789abcdef01234567" }), 404);
  // Anonymous and read tokens open nothing.
  const ro = await wharfAdmin(server.dataDir, "token", "create", "--user", "bob", "--role", "read", "--name", "ro");
  const anon = await fetch(`${server.url}/api/models/alice/bad/commit/main?create_pr=1`, {
    method: "POST", headers: { "Content-Type": "application/x-ndjson" }, body: ndjson("x", [fileOp("b", "b")]),
  });
  assert.equal(anon.status, 401);
  const read = await fetch(`${server.url}/api/models/alice/bad/commit/main?create_pr=1`, {
    method: "POST", headers: { "Content-Type": "application/x-ndjson", Authorization: `Bearer ${ro}` }, body: ndjson("x", [fileOp("b", "b")]),
  });
  assert.equal(read.status, 403);
  // Merge bodies that are not JSON objects; merges of missing PRs.
  await refused(call(api("bad", "discussions/1/merge"), { who: "alice", method: "POST", raw: "[1]" }), 400);
  await refused(call(api("bad", "discussions/7/merge"), { who: "alice", method: "POST" }), 404);

  assert.equal(await head("bad"), mainBefore);
  assert.deepEqual(await ok(call(api("bad", "refs?include_prs=1"))), refsBefore);
  assert.equal((await ok(call(api("bad", "discussions")))).count, 0);

  // A PR whose every commit is already in main has nothing to merge.
  const pr = await ok(commitTo("bad", "bob", "main", "Same", [fileOp("s.txt", "s\n")], { createPr: true }));
  await ok(commitTo("bad", "alice", "main", "Same on main", [fileOp("s.txt", "s\n")], { parentCommit: undefined }));
  const num = numOf(pr.pullRequestUrl);
  // Equal trees merge cleanly; the PR's commit is not in main, so it merges as a merge commit.
  await ok(call(api("bad", `discussions/${num}/merge`), { who: "alice", method: "POST" }));
  await refused(call(api("bad", `discussions/${num}/merge`), { who: "alice", method: "POST" }), 400, /already merged/);

  // main rewritten under an open PR (super-squash): the PR has no history in common with it.
  const orphan = await ok(commitTo("bad", "bob", "main", "Orphaned", [fileOp("o.txt", "o\n")], { createPr: true }));
  await ok(call(api("bad", "super-squash/main"), { who: "alice", method: "POST", body: { message: "Squashed" } }));
  const squashed = await head("bad");
  const od = await details("bad", numOf(orphan.pullRequestUrl), true);
  assert.deepEqual(od.filesWithConflicts, []);
  assert.match(od.diff, /o\.txt/);
  await refused(call(api("bad", `discussions/${numOf(orphan.pullRequestUrl)}/merge`), { who: "alice", method: "POST" }), 400,
                /no history in common/);
  assert.equal(await head("bad"), squashed);
});

test("AFineGrainedDiscussionWriteTokenProposesButDoesNotWrite", async () => {
  const created = await ok(call("settings/tokens", {
    who: "alice", method: "POST",
    body: { name: "proposer", role: "fineGrained", scopes: [{ entityType: "model", entity: "alice/pr", permissions: ["discussion.write"] }] },
  }));
  tokens.proposer = created.token;
  await refused(commitTo("pr", "proposer", "main", "Direct", [fileOp("t.txt", "t\n")]), 403);
  const opened = await ok(commitTo("pr", "proposer", "main", "Proposed by a token", [fileOp("t.txt", "t\n")], { createPr: true }));
  assert.match(opened.pullRequestUrl, /\/alice\/pr\/discussions\/\d+$/);
  await ok(call(api("pr", `discussions/${numOf(opened.pullRequestUrl)}/comment`), { who: "proposer", method: "POST", body: { comment: "ok" } }));
  // Elsewhere the token opens nothing.
  await refused(commitTo("moved", "proposer", "main", "Elsewhere", [fileOp("t.txt", "t\n")], { createPr: true }), 403);
});
