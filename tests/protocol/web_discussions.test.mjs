// The discussion pages' forms at the HTTP level, checked through the API: a discussion and a
// pull request opened by form, and the refusals: a post without its csrf token (nothing
// changes), an anonymous comment (sent to log in), a non-writer's merge and hide (403 page),
// a comment to a missing discussion (404 page), bad titles and unknown actions (400), and
// turning discussions off in the settings.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";

import { startWharf } from "../lib/wharf.mjs";
import { Browser, csrfOf } from "../lib/web_session.mjs";

let server, alice, bob;

before(async () => {
  server = await startWharf();
  alice = new Browser(server);
  bob = new Browser(server);
  assert.equal((await alice.signUp("alice")).status, 303);
  assert.equal((await bob.signUp("bob")).status, 303);
  const made = await alice.submit("/new", { owner: "alice", name: "talk", visibility: "public" });
  assert.equal(made.status, 303, made.html.slice(0, 300));
});

after(async () => server?.stop());

// Page text with mustache's entity for "/" read back, so that hrefs can be matched.
const unslash = (html) => html.replaceAll("&#x2F;", "/");
const thread = (num) => `/alice/talk/discussions/${num}`;

async function details(num) {
  const res = await fetch(`${server.url}/api/models/alice/talk/discussions/${num}`);
  assert.equal(res.status, 200);
  return res.json();
}

// Posts a form of the thread page (loaded first, for its csrf token).
const act = (who, num, fields) => who.submit(thread(num), fields);

test("WebDiscussionFormsOpenThreadsAndCommentsThroughTheHub", async () => {
  const opened = await bob.submit("/alice/talk/discussions/new", { title: "  A question  ", description: "Why?" });
  assert.equal(opened.status, 303, opened.html.slice(0, 500));
  assert.equal(opened.headers.get("location"), thread(1));
  const pr = await bob.submit("/alice/talk/discussions/new?pull_request=1", { title: "A change", pull_request: "1" },
                              "/alice/talk/discussions/new");
  assert.equal(pr.headers.get("location"), thread(2));
  assert.equal((await act(bob, 1, { action: "comment", comment: "More *detail*" })).status, 303);

  const d1 = await details(1);
  assert.equal(d1.title, "A question");
  assert.deepEqual(d1.events.filter((e) => e.type === "comment").map((e) => e.data.latest.raw), ["Why?", "More *detail*"]);
  const d2 = await details(2);
  assert.equal(d2.isPullRequest, true);
  assert.equal(d2.status, "draft");

  const page = await bob.get(thread(1));
  assert.equal(page.status, 200);
  assert.match(page.html, /<em>detail<\/em>/);
  assert.match((await bob.get("/alice/talk/discussions")).html, /A question[\s\S]*#1/);
  assert.match((await bob.get("/alice/talk")).html, /Community <span class="count">2<\/span>/);
});

test("WebDiscussionFormsRefuseMissingCsrfAnonymousAndNonWriters", async () => {
  // No csrf field: refused before anything happens.
  const before = (await details(1)).events.length;
  const forged = await bob.post(thread(1), { action: "comment", comment: "forged" });
  assert.equal(forged.status, 403);
  assert.match(forged.html, /This form was refused/);
  const forgedNew = await bob.post("/alice/talk/discussions/new", { title: "forged" });
  assert.equal(forgedNew.status, 403);
  assert.equal((await details(1)).events.length, before);

  // Anonymous: sent to log in, back to the thread afterwards.
  const anonymous = new Browser(server);
  const anon = await anonymous.post(thread(1), { csrf: "x", action: "comment", comment: "hi" });
  assert.equal(anon.status, 303);
  assert.equal(anon.headers.get("location"), `/login?next=${thread(1)}`);
  const anonNew = await anonymous.get("/alice/talk/discussions/new");
  assert.equal(anonNew.status, 303);
  assert.match(anonNew.headers.get("location"), /^\/login\?next=/);
  const anonPage = await anonymous.get(thread(1));
  assert.equal(anonPage.status, 200);
  assert.doesNotMatch(anonPage.html, /name="action" value="comment"/);
  assert.match(anonPage.html, /Log in<\/a> to comment/);
  assert.equal((await details(1)).events.length, before);

  // A non-writer may not merge nor hide: the thread again with a 403 and the reason.
  const aliceComment = await act(alice, 1, { action: "comment", comment: "Owner here" });
  assert.equal(aliceComment.status, 303);
  const commentId = (await details(1)).events.at(-1).id;
  const hide = await act(bob, 1, { action: "hide", comment_id: commentId });
  assert.equal(hide.status, 403);
  assert.match(hide.html, /role="alert"/);
  assert.equal((await details(1)).events.at(-1).data.hidden, false);
  const merge = await act(bob, 2, { action: "merge" });
  assert.equal(merge.status, 403);
  assert.equal((await details(2)).status, "draft");
  assert.doesNotMatch((await alice.get(thread(2))).html, /name="action" value="merge"/, "a draft is published before it merges");
  const draftMerge = await act(alice, 2, { action: "merge" });
  assert.equal(draftMerge.status, 400);
  assert.match(draftMerge.html, /is a draft; publish it/);
  assert.doesNotMatch((await bob.get(thread(1))).html, /name="action" value="hide"/);
  assert.match((await alice.get(thread(1))).html, /name="action" value="hide"/);

  // The author closes; a stranger may not reopen.
  const carol = new Browser(server);
  await carol.signUp("carol");
  assert.equal((await act(bob, 1, { action: "status", status: "closed" })).status, 303);
  assert.equal((await details(1)).status, "closed");
  assert.equal((await act(carol, 1, { action: "status", status: "open" })).status, 403);
  assert.equal((await act(carol, 1, { action: "title", title: "Mine now" })).status, 403);
  assert.equal((await details(1)).title, "A question");

  // The PR's ref takes browser commits from its author (and writers), not from others.
  const editPr = "/alice/talk/edit/refs%2Fpr%2F2/README.md";
  assert.equal((await bob.get(editPr)).status, 200);
  assert.equal((await carol.get(editPr)).status, 403);
  assert.match(unslash((await bob.get("/alice/talk/tree/refs%2Fpr%2F2")).html), /href="\/alice\/talk\/upload\/refs%2Fpr%2F2"/);
  assert.doesNotMatch(unslash((await carol.get("/alice/talk/tree/refs%2Fpr%2F2")).html), /\/upload\//);
  assert.doesNotMatch(unslash((await bob.get("/alice/talk/tree/main")).html), /\/upload\//);
});

test("WebDiscussionPagesServeDatasetsAndSpaces", async () => {
  for (const [page, prefix] of [["/new-dataset", "/datasets"], ["/new-space", "/spaces"]]) {
    const made = await alice.submit(page, { owner: "alice", name: "shared", visibility: "public", sdk: "static" });
    assert.equal(made.status, 303, made.html.slice(0, 300));
    const opened = await bob.submit(`${prefix}/alice/shared/discussions/new`, { title: "Hello" });
    assert.equal(opened.headers.get("location"), `${prefix}/alice/shared/discussions/1`);
    const list = await bob.get(`${prefix}/alice/shared/discussions`);
    assert.match(unslash(list.html), new RegExp(`href="${prefix}/alice/shared/discussions/1">Hello<`));
    assert.match(list.html, /Community <span class="count">1<\/span>/);
  }
});

test("WebDiscussionFormsAnswerMissingAndBadInput", async () => {
  const page = await bob.get(thread(1));
  const csrf = csrfOf(page.html);
  const missing = await bob.post(thread(999), { csrf, action: "comment", comment: "hello?" });
  assert.equal(missing.status, 404);
  assert.match(missing.html, /Not found/);
  assert.equal((await bob.get(thread(999))).status, 404);
  assert.equal((await bob.get("/alice/talk/discussions/abc")).status, 404);
  assert.equal((await bob.get("/alice/nothing/discussions")).status, 404);

  const badTitle = await bob.submit("/alice/talk/discussions/new", { title: "   " });
  assert.equal(badTitle.status, 400);
  assert.match(badTitle.html, /role="alert"/);
  assert.equal((await bob.post(thread(1), { csrf, action: "explode" })).status, 400);
  assert.equal((await bob.post(thread(1), { csrf, action: "comment", comment: "  " })).status, 400);
  assert.equal((await bob.post(thread(2) + "/files", { csrf })).status, 405);
});

test("WebSettingsTurnDiscussionsOffAndOn", async () => {
  const off = await alice.submit("/alice/talk/settings", { action: "discussions", discussions: "off" });
  assert.equal(off.status, 303);
  const list = await bob.get("/alice/talk/discussions");
  assert.match(list.html, /turned discussions off/);
  assert.doesNotMatch(list.html, /New discussion/);
  const form = await bob.get("/alice/talk/discussions/new");
  assert.equal(form.status, 403, "the form says so instead of showing its fields");
  assert.doesNotMatch(form.html, /name="title"/);
  const refused = await bob.post("/alice/talk/discussions/new", { csrf: csrfOf(list.html), title: "Still?" });
  assert.equal(refused.status, 403);
  assert.match((await bob.get("/alice/talk")).html, /Community/, "the tab stays while threads exist");
  assert.equal((await alice.submit("/alice/talk/settings", { action: "discussions", discussions: "on" })).status, 303);
  assert.match((await bob.get("/alice/talk/discussions")).html, /New discussion/);

  // Off with no thread at all: no Community tab.
  assert.equal((await alice.submit("/new", { owner: "alice", name: "quiet", visibility: "public" })).status, 303);
  assert.match((await bob.get("/alice/quiet")).html, /Community/);
  assert.equal((await alice.submit("/alice/quiet/settings", { action: "discussions", discussions: "off" })).status, 303);
  assert.doesNotMatch((await bob.get("/alice/quiet")).html, /Community/);
});

test("WebDiscussionListPagesByFiftyWithFilters", async () => {
  assert.equal((await alice.submit("/new", { owner: "alice", name: "busy", visibility: "public" })).status, 303);
  const csrf = csrfOf((await bob.get("/alice/busy/discussions")).html);
  for (let i = 1; i <= 51; i++) {
    const res = await bob.post("/alice/busy/discussions/new", { csrf, title: `Thread ${i}`, ...(i === 51 ? { pull_request: "1" } : {}) });
    assert.equal(res.status, 303);
  }
  const rows = (html) => [...html.matchAll(/discussions\/(\d+)">Thread/g)].map((m) => Number(m[1]));
  const first = unslash((await bob.get("/alice/busy/discussions")).html);
  assert.equal(rows(first).length, 50);
  assert.equal(rows(first)[0], 51, "newest first");
  const next = first.match(/href="([^"]*)" rel="next"/)[1].replaceAll("&amp;", "&");
  const second = unslash((await bob.get(next)).html);
  assert.deepEqual(rows(second), [1]);
  assert.match(second, /rel="prev"/);
  assert.deepEqual(rows(unslash((await bob.get("/alice/busy/discussions?type=pull_request")).html)), [51]);
  assert.deepEqual(rows(unslash((await bob.get("/alice/busy/discussions?status=closed")).html)), []);
  assert.equal(rows(unslash((await bob.get("/alice/busy/discussions?type=bogus&p=-3")).html)).length, 50, "unknown filters are the defaults");
});
