// Discussions (spec §12) over fetch, as the Python client sends them: every endpoint and its
// JSON, paging by p with {discussions, count, start} over more than one page of 50, the
// filters, who may do what (anonymous, reader, author, writer, read token, private repos),
// bad input that changes nothing, Markdown made safe, and a
// deleted repo taking its discussions along. Pull requests: pull_requests.test.mjs.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { startWharf, wharfAdmin } from "../lib/wharf.mjs";
import { apiCaller, ok, refused } from "../lib/api_calls.mjs";
import { DATE_RE } from "../lib/expect.mjs";

let server;
const tokens = {};  // user -> write token
let bobRead;

const call = apiCaller(() => server, tokens);

const disc = (repo, rest = "") => `models/alice/${repo}/discussions${rest}`;
const open = (repo, who, title, description = "") =>
  ok(call(disc(repo), { who, method: "POST", body: { title, description, pullRequest: false } }));

before(async () => {
  server = await startWharf();
  for (const name of ["alice", "bob", "carol"]) {
    await wharfAdmin(server.dataDir, "user", "create", name);
    tokens[name] = await wharfAdmin(server.dataDir, "token", "create", "--user", name, "--role", "write");
  }
  bobRead = await wharfAdmin(server.dataDir, "token", "create", "--user", "bob", "--role", "read", "--name", "ro");
  for (const [name, extra] of [["talk", {}], ["paged", {}], ["secret", { private: true }], ["doomed", {}], ["bad", {}]]) {
    await ok(call("repos/create", { who: "alice", method: "POST", body: { name, ...extra } }));
  }
});

after(async () => {
  await server?.stop();
});

test("CreateDetailsCommentRenameCloseEditHide", async () => {
  const created = await open("talk", "bob", "  How do I load this?  ", "I tried `from_pretrained`.");
  assert.equal(created.num, 1);

  const d = await ok(call(disc("talk", "/1")));
  assert.equal(d.num, 1);
  assert.equal(d.title, "How do I load this?");
  assert.equal(d.status, "open");
  assert.equal(d.isPullRequest, false);
  assert.match(d.createdAt, DATE_RE);
  assert.deepEqual(d.author, { name: "bob" });
  assert.deepEqual(d.repo, { name: "alice/talk", type: "model" });
  assert.equal(d.events.length, 1);
  const first = d.events[0];
  assert.match(first.id, /^[0-9a-f]{24}$/);
  assert.equal(first.type, "comment");
  assert.match(first.createdAt, DATE_RE);
  assert.deepEqual(first.author, { name: "bob" });
  assert.equal(first.data.edited, false);
  assert.equal(first.data.hidden, false);
  assert.equal(first.data.latest.raw, "I tried `from_pretrained`.");
  assert.match(first.data.latest.html, /<code>from_pretrained<\/code>/);
  assert.match(first.data.latest.updatedAt, DATE_RE);

  // A reader of the repo (carol) comments; the owner (a writer) closes with a comment.
  const msg = (await ok(call(disc("talk", "/1/comment"), { who: "carol", method: "POST", body: { comment: "Same **here**" } }))).newMessage;
  assert.equal(msg.type, "comment");
  assert.equal(msg.data.latest.raw, "Same **here**");
  assert.match(msg.data.latest.html, /<strong>here<\/strong>/);

  const title = (await ok(call(disc("talk", "/1/title"), { who: "bob", method: "POST", body: { title: "Loading fails" } }))).newTitle;
  assert.equal(title.type, "title-change");
  assert.deepEqual(title.data, { from: "How do I load this?", to: "Loading fails" });

  const status = (await ok(call(disc("talk", "/1/status"), { who: "alice", method: "POST", body: { status: "closed", comment: "Fixed in main" } }))).newStatus;
  assert.equal(status.type, "status-change");
  assert.deepEqual(status.data, { status: "closed" });
  assert.deepEqual(status.author, { name: "alice" });

  // Comments on a closed discussion are accepted.
  await ok(call(disc("talk", "/1/comment"), { who: "bob", method: "POST", body: { comment: "Thanks!" } }));

  const edited = (await ok(call(disc("talk", `/1/comment/${msg.id}/edit`), { who: "carol", method: "POST", body: { content: "Same here, on 0.20" } }))).updatedComment;
  assert.equal(edited.id, msg.id);
  assert.equal(edited.data.edited, true);
  assert.equal(edited.data.latest.raw, "Same here, on 0.20");

  const hidden = (await ok(call(disc("talk", `/1/comment/${msg.id}/hide`), { who: "alice", method: "POST" }))).updatedComment;
  assert.equal(hidden.id, msg.id);
  assert.equal(hidden.data.hidden, true);
  assert.ok(!JSON.stringify(hidden).includes("0.20"), "a hidden comment's text is not shown");

  const after = await ok(call(disc("talk", "/1"), { who: "carol" }));
  assert.equal(after.title, "Loading fails");
  assert.equal(after.status, "closed");
  assert.deepEqual(after.events.map((e) => e.type),
                   ["comment", "comment", "title-change", "comment", "status-change", "comment"]);
  assert.equal(after.events[3].data.latest.raw, "Fixed in main");
  assert.equal(after.events[1].data.hidden, true);

  // Reopen.
  await ok(call(disc("talk", "/1/status"), { who: "alice", method: "POST", body: { status: "open" } }));
  assert.equal((await ok(call(disc("talk", "/1")))).status, "open");

  // The audit log records creation, status changes and hiding.
  const { entries } = await ok(call("audit-log", { token: server.token }));
  const actions = entries.filter((e) => e.target === "model/alice/talk").map((e) => e.action);
  for (const a of ["discussion.create", "discussion.status", "discussion.hide_comment"]) assert.ok(actions.includes(a), actions.join());
});

test("PagesOfFiftyWithCountAndStartAndFilters", async () => {
  for (let i = 1; i <= 53; i++) await open("paged", i % 2 ? "bob" : "carol", `Topic ${i}`);
  await ok(call(disc("paged", "/2/status"), { who: "alice", method: "POST", body: { status: "closed" } }));

  // What Python does: fetch pages while start + len(discussions) < count.
  const nums = [];
  let p = 0;
  for (;;) {
    const page = await ok(call(disc("paged", `?p=${p}`)));
    assert.equal(page.count, 53);
    assert.equal(page.start, p * 50);
    nums.push(...page.discussions.map((x) => x.num));
    if (page.start + page.discussions.length >= page.count) break;
    p++;
  }
  assert.equal(p, 1);
  assert.deepEqual(nums, Array.from({ length: 53 }, (_, i) => 53 - i), "newest first, each once");
  const item = (await ok(call(disc("paged", "?p=1")))).discussions.at(-1);
  assert.deepEqual(Object.keys(item).sort(), ["author", "createdAt", "isPullRequest", "num", "repo", "status", "title"]);
  assert.deepEqual((await ok(call(disc("paged", "?p=7")))).discussions, []);

  const closed = await ok(call(disc("paged", "?status=closed")));
  assert.deepEqual([closed.count, closed.discussions.map((x) => x.num)], [1, [2]]);
  assert.equal((await ok(call(disc("paged", "?status=open&type=discussion")))).count, 52);
  assert.equal((await ok(call(disc("paged", "?author=bob")))).count, 27);
  assert.equal((await ok(call(disc("paged", "?author=nobody")))).count, 0);
  assert.equal((await ok(call(disc("paged", "?type=pull_request")))).count, 0);
  await refused(call(disc("paged", "?status=merged")), 400);
  await refused(call(disc("paged", "?type=issue")), 400);
  await refused(call(disc("paged", "?p=-1")), 400);
  await refused(call(disc("paged", "?p=x")), 400);
});

test("WhoMayDoWhat", async () => {
  const { num } = await open("talk", "bob", "Permissions", "first");
  const first = (await ok(call(disc("talk", `/${num}`)))).events[0].id;

  await refused(call(disc("talk"), { method: "POST", body: { title: "anon" } }), 401);
  await refused(call(disc("talk", `/${num}/comment`), { method: "POST", body: { comment: "anon" } }), 401);
  await refused(call(disc("talk"), { token: bobRead, method: "POST", body: { title: "read token" } }), 403);
  // Carol reads and comments, but may not close, hide, rename bob's discussion or edit his comment.
  await refused(call(disc("talk", `/${num}/status`), { who: "carol", method: "POST", body: { status: "closed" } }), 403);
  await refused(call(disc("talk", `/${num}/comment/${first}/hide`), { who: "carol", method: "POST" }), 403);
  await refused(call(disc("talk", `/${num}/title`), { who: "carol", method: "POST", body: { title: "Hijacked" } }), 403);
  await refused(call(disc("talk", `/${num}/comment/${first}/edit`), { who: "carol", method: "POST", body: { content: "Hijacked" } }), 403);
  await refused(call(disc("talk", `/${num}/comment/${first}/edit`), { who: "alice", method: "POST", body: { content: "Hijacked" } }), 403);
  // The repo's owner renames any discussion; the author edits their own comment, and closes
  // and reopens their own discussion (as on the Hub).
  await ok(call(disc("talk", `/${num}/title`), { who: "alice", method: "POST", body: { title: "Renamed by owner" } }));
  await ok(call(disc("talk", `/${num}/status`), { who: "bob", method: "POST", body: { status: "closed" } }));
  await ok(call(disc("talk", `/${num}/status`), { who: "bob", method: "POST", body: { status: "open" } }));
  await ok(call(disc("talk", `/${num}/comment/${first}/edit`), { who: "bob", method: "POST", body: { content: "first, edited" } }));

  const d = await ok(call(disc("talk", `/${num}`)));
  assert.equal(d.title, "Renamed by owner");
  assert.equal(d.status, "open");
  assert.equal(d.events[0].data.latest.raw, "first, edited");
  assert.equal(d.events[0].data.hidden, false);
  assert.ok(!JSON.stringify(d).includes("Hijacked"));
});

test("PrivateRepoDiscussionsAreInvisibleToOutsiders", async () => {
  await open("secret", "alice", "Internal");
  await refused(call(disc("secret")), 401);
  await refused(call(disc("secret"), { who: "bob" }), 404);
  await refused(call(disc("secret", "/1"), { who: "bob" }), 404);
  await refused(call(disc("secret", "/1/comment"), { who: "bob", method: "POST", body: { comment: "hi" } }), 404);
  // Anonymous writers learn nothing either: RepoNotFound, as for a repo that does not exist.
  for (const [path, body] of [["", { title: "anon" }], ["/1/comment", { comment: "anon" }], ["/1/status", { status: "closed" }]]) {
    const r = await refused(call(disc("secret", path), { method: "POST", body }), 401);
    assert.equal(r.headers.get("X-Error-Code"), "RepoNotFound", path);
  }
  await refused(call(disc("secret"), { who: "bob", method: "POST", body: { title: "hi" } }), 404);
  const r = await call(disc("secret"), { who: "bob" });
  assert.equal(r.headers.get("X-Error-Code"), "RepoNotFound");
  assert.equal((await ok(call(disc("secret"), { who: "alice" }))).count, 1);
});

test("BadInputIsRefusedAndChangesNothing", async () => {
  const { num } = await open("bad", "bob", "Valid", "body");
  const before = await ok(call(disc("bad", `/${num}`)));

  await refused(call(disc("bad"), { who: "bob", method: "POST", body: { description: "no title" } }), 400, /title/);
  await refused(call(disc("bad"), { who: "bob", method: "POST", body: { title: "   " } }), 400, /title/);
  await refused(call(disc("bad"), { who: "bob", method: "POST", body: { title: "x".repeat(201) } }), 400, /200/);
  await refused(call(disc("bad"), { who: "bob", method: "POST", body: { title: 5 } }), 400);
  await refused(call(disc("bad"), { who: "bob", method: "POST", raw: "{not json" }), 400);
  await refused(call(disc("bad"), { who: "bob", method: "POST", body: { title: "A PR", pullRequest: "yes" } }), 400, /pullRequest/);
  await refused(call(disc("bad", `/${num}/comment`), { who: "bob", method: "POST", body: { comment: "x".repeat(64 * 1024 + 1) } }), 413, /KiB/);
  await refused(call(disc("bad", `/${num}/comment`), { who: "bob", method: "POST", body: { comment: "  " } }), 400);
  await refused(call(disc("bad", `/${num}/comment`), { who: "bob", method: "POST", body: {} }), 400);
  await refused(call(disc("bad", `/${num}/comment`), { who: "bob", method: "POST", raw: "[" }), 400);
  await refused(call(disc("bad", `/${num}/status`), { who: "alice", method: "POST", body: { status: "resolved" } }), 400);
  await refused(call(disc("bad", `/${num}/status`), { who: "alice", method: "POST", body: { status: "open" } }), 400, /already/);
  await refused(call(disc("bad", `/${num}/title`), { who: "bob", method: "POST", body: { title: "" } }), 400);
  await refused(call(disc("bad", `/${num}/comment/ffffffffffffffffffffffff/edit`), { who: "bob", method: "POST", body: { content: "x" } }), 404);
  await refused(call(disc("bad", "/99/comment"), { who: "bob", method: "POST", body: { comment: "where?" } }), 404);
  await refused(call(disc("bad", "/99")), 404);
  await refused(call(disc("bad", "/abc")), 400);
  await refused(call(disc("bad", "/0")), 400);
  await refused(call(disc("bad", `/${num}/merge`), { who: "alice", method: "POST" }), 400, /not a pull request/);
  await refused(call(disc("bad", `/${num}/frobnicate`), { who: "alice", method: "POST" }), 404);
  await refused(call(disc("bad", `/${num}`), { who: "alice", method: "DELETE" }), 405);
  await refused(call("models/alice/missing/discussions", { who: "bob" }), 404);

  assert.deepEqual(await ok(call(disc("bad", `/${num}`))), before);
  assert.equal((await ok(call(disc("bad")))).count, 1);
  // A comment of exactly 64 KiB is accepted.
  await ok(call(disc("bad", `/${num}/comment`), { who: "bob", method: "POST", body: { comment: "y".repeat(64 * 1024) } }));
});

test("MarkdownIsRenderedInert", async () => {
  const { num } = await open("talk", "carol", "<script>alert(1)</script>",
                             "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>");
  const d = await ok(call(disc("talk", `/${num}`)));
  assert.equal(d.title, "<script>alert(1)</script>", "the title is data; clients escape it");
  const html = d.events[0].data.latest.html;
  assert.ok(!/<script/i.test(html), html);
  assert.ok(!/javascript:/i.test(html), html);
  assert.ok(!/onerror/i.test(html), html);
  assert.equal(d.events[0].data.latest.raw, "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>");
});

test("DeletingTheRepoDeletesItsDiscussions", async () => {
  await open("doomed", "bob", "One");
  await open("doomed", "carol", "Two");
  await ok(call("repos/delete", { who: "alice", method: "DELETE", body: { name: "alice/doomed" } }));
  await refused(call(disc("doomed"), { who: "bob" }), 404);
  await ok(call("repos/create", { who: "alice", method: "POST", body: { name: "doomed" } }));
  const list = await ok(call(disc("doomed")));
  assert.deepEqual([list.count, list.discussions], [0, []]);
  assert.equal((await open("doomed", "bob", "Fresh")).num, 1);
});
