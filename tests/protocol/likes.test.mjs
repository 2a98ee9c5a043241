// Likes (spec §13.1) over fetch, as the Python client sends them: like and unlike
// (idempotent), the repo's count in info and listings, likers and a user's likes (shapes,
// pagination), private repos hidden from others, and the refusals (anonymous, read token,
// missing or invisible repo). The trending score follows a like once recomputed.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { startWharf, wharfAdmin } from "../lib/wharf.mjs";
import { DATE_RE } from "../lib/expect.mjs";

let server;
const tokens = {};  // user -> write token
let bobRead;

function call(path, { token, method = "GET" } = {}) {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  return fetch(`${server.url}${path}`, { method, headers });
}

async function json(resPromise, status = 200) {
  const res = await resPromise;
  const text = await res.text();
  assert.equal(res.status, status, `${res.url}: ${text}`);
  return { body: JSON.parse(text), res };
}

const like = (repo, who, method = "POST") => call(`/api/${repo}/like`, { token: tokens[who] ?? who, method });

async function createRepo(owner, name, extra = {}) {
  const res = await fetch(`${server.url}/api/repos/create`, {
    method: "POST",
    headers: { Authorization: `Bearer ${tokens[owner]}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name, ...extra }),
  });
  assert.equal(res.status, 200, await res.text());
}

// Follows Link rel="next" from `path`; returns every page's items and how many pages.
async function allPages(path, token) {
  const items = [];
  let pages = 0;
  let next = `${server.url}${path}`;
  while (next) {
    const res = await fetch(next, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    assert.equal(res.status, 200, await res.clone().text());
    items.push(...(await res.json()));
    pages++;
    const link = res.headers.get("Link");
    if (link) assert.match(link, /^<http:\/\/[^>]+>;\s+rel="next"$/);
    next = link?.match(/^<([^>]+)>/)?.[1];
  }
  return { items, pages };
}

before(async () => {
  server = await startWharf({ args: ["--downloads-flush-ms", "50"] });
  for (const name of ["alice", "bob", "carol"]) {
    await wharfAdmin(server.dataDir, "user", "create", name);
    tokens[name] = await wharfAdmin(server.dataDir, "token", "create", "--user", name, "--role", "write");
  }
  bobRead = await wharfAdmin(server.dataDir, "token", "create", "--user", "bob", "--role", "read", "--name", "ro");
  await createRepo("alice", "liked");
  await createRepo("alice", "secret", { private: true });
  await createRepo("alice", "data", { type: "dataset" });
  await createRepo("alice", "app", { type: "space", sdk: "static" });
});

after(async () => {
  await server?.stop();
});

test("LikeAndUnlikeAreIdempotentAndCounted", async () => {
  assert.deepEqual((await json(like("models/alice/liked", "bob"))).body, { likes: 1 });
  assert.deepEqual((await json(like("models/alice/liked", "bob"))).body, { likes: 1 }, "liking twice is one like");
  assert.equal((await json(call("/api/models/alice/liked"))).body.likes, 1);
  await json(like("models/alice/liked", "carol"));
  const info = (await json(call("/api/models/alice/liked?expand=likes&expand=trendingScore"))).body;
  assert.equal(info.likes, 2);

  const likers = (await json(call("/api/models/alice/liked/likers"))).body;
  assert.deepEqual(likers.map((l) => l.user), ["carol", "bob"], "newest first");
  assert.deepEqual(likers[1], {
    user: "bob", fullname: "bob", avatarUrl: `${server.url}/avatars/bob`, type: "user", isPro: false,
  });

  assert.deepEqual((await json(like("models/alice/liked", "carol", "DELETE"))).body, { likes: 1 });
  assert.deepEqual((await json(like("models/alice/liked", "carol", "DELETE"))).body, { likes: 1 },
                   "unliking twice changes nothing");
  assert.deepEqual((await json(call("/api/models/alice/liked/likers"))).body.map((l) => l.user), ["bob"]);
});

test("LikesOfDatasetsAndSpaces", async () => {
  await json(like("datasets/alice/data", "carol"));
  await json(like("spaces/alice/app", "carol"));
  assert.equal((await json(call("/api/datasets/alice/data"))).body.likes, 1);
  assert.equal((await json(call("/api/spaces/alice/app"))).body.likes, 1);
  const likes = (await json(call("/api/users/carol/likes"))).body;
  assert.deepEqual(likes.map((l) => l.repo), [
    { name: "alice/app", type: "space" },
    { name: "alice/data", type: "dataset" },
  ]);
  for (const l of likes) assert.match(l.createdAt, DATE_RE);
});

test("RefusedLikes", async () => {
  let res = await like("models/alice/liked", "");
  assert.equal(res.status, 401, "anonymous");
  res = await like("models/alice/liked", bobRead);
  assert.equal(res.status, 403, `a read token: ${await res.text()}`);
  res = await like("models/alice/missing", "bob");
  assert.equal(res.status, 404);
  assert.equal(res.headers.get("X-Error-Code"), "RepoNotFound");
  res = await like("models/alice/secret", "bob");
  assert.equal(res.status, 404, "a private repo of someone else does not exist for bob");
  assert.equal(res.headers.get("X-Error-Code"), "RepoNotFound");
  res = await like("models/alice/secret", bobRead);
  assert.equal(res.status, 404, "not 403: the repo's existence is not shown to a read token either");
  res = await call("/api/models/alice/secret/likers", { token: tokens.bob });
  assert.equal(res.status, 404);
  res = await call("/api/models/alice/liked/like");
  assert.equal(res.status, 405, "GET on /like");
  res = await call("/api/users/nobody/likes");
  assert.equal(res.status, 404);
  res = await call("/api/models/alice/liked/likers?limit=0");
  assert.equal(res.status, 400);
  res = await call("/api/users/alice/likes?cursor=abc");
  assert.equal(res.status, 400);
});

test("PrivateLikesAreHiddenFromOthers", async () => {
  await json(like("models/alice/secret", "alice"));
  await json(like("models/alice/liked", "alice"));
  const own = (await json(call("/api/users/alice/likes", { token: tokens.alice }))).body;
  assert.deepEqual(own.map((l) => l.repo.name), ["alice/liked", "alice/secret"]);
  for (const viewer of [tokens.bob, undefined]) {
    const seen = (await json(call("/api/users/alice/likes", { token: viewer }))).body;
    assert.deepEqual(seen.map((l) => l.repo.name), ["alice/liked"], `viewer ${viewer ? "bob" : "anonymous"}`);
  }
  // Paged one by one, the hidden like does not leave an empty page or a broken link.
  const paged = await allPages("/api/users/alice/likes?limit=1", tokens.bob);
  assert.deepEqual(paged.items.map((l) => l.repo.name), ["alice/liked"]);
  const ownPaged = await allPages("/api/users/alice/likes?limit=1", tokens.alice);
  assert.deepEqual(ownPaged.items.map((l) => l.repo.name), ["alice/liked", "alice/secret"]);
  assert.equal(ownPaged.pages, 2);
  assert.equal((await json(call("/api/models/alice/secret", { token: tokens.alice }))).body.likes, 1);
});

test("LikersArePaged", async () => {
  await createRepo("alice", "popular");
  for (const who of ["alice", "bob", "carol"]) await json(like("models/alice/popular", who));
  const { items, pages } = await allPages("/api/models/alice/popular/likers?limit=2");
  assert.deepEqual(items.map((l) => l.user), ["carol", "bob", "alice"]);
  assert.equal(pages, 2);
});

test("ListingsAndTrendingFollowLikes", async () => {
  await createRepo("carol", "rising");
  await createRepo("carol", "flat");
  for (const who of ["alice", "bob", "carol"]) await json(like("models/carol/rising", who));
  const listed = (await json(call("/api/models?author=carol&sort=likes"))).body;
  assert.deepEqual(listed.map((m) => [m.id, m.likes]), [["carol/rising", 3], ["carol/flat", 0]]);
  // The trending score is recomputed every 60 flushes (3 s here): 3 likes today weigh 3.
  let score = 0;
  const deadline = Date.now() + 10000;
  while (score !== 3 && Date.now() < deadline) {
    score = (await json(call("/api/models/carol/rising?expand=trendingScore"))).body.trendingScore;
    if (score !== 3) await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(score, 3);
  const trending = (await json(call("/api/models?author=carol&sort=trendingScore"))).body;
  assert.deepEqual(trending.map((m) => [m.id, m.trendingScore]), [["carol/rising", 3], ["carol/flat", 0]]);
});
