// The audit log's read side: entries after each action (org create, member add, role and
// remove, token create and revoke, repo lifecycle), who may read which entries, paging, and
// refusals. Read through GET /api/audit-log, /api/organizations/{org}/audit-log and
// `wharf admin audit`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { curl, bearer } from "../lib/curl.mjs";
import { DATE_RE } from "../lib/expect.mjs";
import { startWharf, wharfAdmin } from "../lib/wharf.mjs";

let server;
const tokens = {};

function api(path, { token, method = "GET", body } = {}) {
  return curl(`${server.url}/api/${path}`, {
    method,
    headers: { ...bearer(token), ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function ok(resPromise) {
  const res = await resPromise;
  assert.equal(res.status, 200, res.describe());
  return res.json();
}

function refused(res, status) {
  assert.equal(res.status, status, res.describe());
  assert.equal(typeof res.json().error, "string");
}

// The newest entry with `action` and `target` in `entries`, or a failure listing them.
function entry(entries, action, target) {
  const e = entries.find((x) => x.action === action && x.target === target);
  assert.ok(e, `no ${action} on ${target} in:\n${entries.map((x) => `${x.action} ${x.target}`).join("\n")}`);
  return e;
}

before(async () => {
  server = await startWharf();
  tokens.admin = server.token;
  for (const user of ["alice", "bob", "carol"]) {
    await wharfAdmin(server.dataDir, "user", "create", user);
    tokens[user] = await wharfAdmin(server.dataDir, "token", "create", "--user", user);
  }
  // alice runs acme, carol runs other; bob is a member of acme.
  await ok(api("organizations/new", { token: tokens.alice, method: "POST", body: { name: "acme" } }));
  await ok(api("organizations/new", { token: tokens.carol, method: "POST", body: { name: "other" } }));
  await ok(api("organizations/acme/members", { token: tokens.alice, method: "POST", body: { user: "bob", role: "read" } }));
  await ok(api("organizations/acme/members/bob", { token: tokens.alice, method: "PUT", body: { role: "write" } }));
  await ok(api("organizations/acme/members/bob", { token: tokens.alice, method: "DELETE" }));
  await ok(api("repos/create", { token: tokens.alice, method: "POST", body: { name: "acme/model", private: true } }));
  const t = await ok(api("settings/tokens", { token: tokens.bob, method: "POST", body: { name: "bobs-token", role: "read" } }));
  tokens.bobSecret = t.token;
  tokens.bobTokenId = t.id;
  await ok(api(`settings/tokens/${t.id}`, { token: tokens.bob, method: "DELETE" }));
});

after(async () => {
  await server?.stop();
});

test("OperatorSeesEveryActionNewestFirst", async () => {
  const { entries, nextCursor } = await ok(api("audit-log", { token: tokens.admin }));
  assert.equal(nextCursor, undefined);
  const ids = entries.map((e) => e.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
  const create = entry(entries, "org.create", "acme");
  assert.equal(create.actor, "alice");
  assert.equal(create.namespace, "acme");
  assert.equal(create.ip, "127.0.0.1");
  assert.match(create.time, DATE_RE);
  assert.equal(entry(entries, "org.member_add", "bob").detail.role, "read");
  assert.deepEqual(entry(entries, "org.member_role", "bob").detail, { from: "read", role: "write", token: "cli" });
  assert.equal(entry(entries, "org.member_remove", "bob").actor, "alice");
  assert.equal(entry(entries, "repo.create", "model/acme/model").namespace, "acme");
  const made = entry(entries, "token.create", "bobs-token");
  assert.equal(made.actor, "bob");
  assert.equal(made.namespace, "bob");
  assert.equal(made.detail.role, "read");
  assert.equal(entry(entries, "token.revoke", "bobs-token").detail.id, Number(tokens.bobTokenId));
  assert.ok(!JSON.stringify(entries).includes(tokens.bobSecret), "a token secret is in the audit log");
  // Filtered by namespace.
  const other = await ok(api("audit-log?namespace=other", { token: tokens.admin }));
  assert.deepEqual(other.entries.map((e) => [e.action, e.target]), [["org.create", "other"]]);
});

test("OrgAdminsSeeOnlyTheirOrg", async () => {
  const acme = await ok(api("organizations/acme/audit-log", { token: tokens.alice }));
  assert.ok(acme.entries.length >= 5);
  assert.ok(acme.entries.every((e) => e.namespace === "acme"), JSON.stringify(acme.entries));
  entry(acme.entries, "org.member_remove", "bob");
  refused(await api("organizations/other/audit-log", { token: tokens.alice }), 403);
  refused(await api("audit-log", { token: tokens.alice }), 403);
  refused(await api("audit-log?namespace=acme", { token: tokens.alice }), 403);
  // The operator reads any org's log.
  assert.equal((await ok(api("organizations/other/audit-log", { token: tokens.admin }))).entries.length, 1);
});

test("OthersAreRefused", async () => {
  refused(await api("audit-log"), 401);
  refused(await api("organizations/acme/audit-log"), 401);
  refused(await api("audit-log", { token: tokens.bob }), 403);
  refused(await api("organizations/acme/audit-log", { token: tokens.bob }), 403);
  refused(await api("organizations/nope/audit-log", { token: tokens.admin }), 404);
  // The operator's read token reads no audit log.
  const read = await wharfAdmin(server.dataDir, "token", "create", "--user", "admin", "--role", "read");
  refused(await api("audit-log", { token: read }), 403);
  refused(await api("audit-log", { token: tokens.admin, method: "POST", body: {} }), 405);
});

test("PagesWithACursor", async () => {
  const all = (await ok(api("audit-log?limit=1000", { token: tokens.admin }))).entries;
  const seen = [];
  let url = "audit-log?limit=2";
  for (;;) {
    const res = await api(url, { token: tokens.admin });
    assert.equal(res.status, 200, res.describe());
    const page = res.json();
    assert.ok(page.entries.length <= 2);
    seen.push(...page.entries.map((e) => e.id));
    if (!page.nextCursor) {
      assert.equal(res.header("Link"), undefined);
      break;
    }
    assert.match(res.header("Link"), /^<http:\/\/[^>]+cursor=\d+[^>]*>; rel="next"$/);
    url = `audit-log?limit=2&cursor=${page.nextCursor}`;
  }
  assert.deepEqual(seen, all.map((e) => e.id));
  for (const bad of ["limit=0", "limit=1001", "limit=abc", "limit=-1", "cursor=x", "cursor=-5", "limit=1.5"])
    refused(await api(`audit-log?${bad}`, { token: tokens.admin }), 400);
});

test("AdminCliPrintsOneLinePerEntry", async () => {
  const out = await wharfAdmin(server.dataDir, "audit", "--namespace", "acme", "--limit", "2");
  const lines = out.split("\n");
  assert.equal(lines.length, 2);
  const fields = lines[1].split("\t");
  assert.equal(fields.length, 7);
  assert.match(fields[0], DATE_RE);
  assert.deepEqual(fields.slice(1, 6), ["alice", "127.0.0.1", "acme", "org.member_remove", "bob"]);
  assert.deepEqual(JSON.parse(fields[6]), { role: "write", token: "cli" });
  await assert.rejects(wharfAdmin(server.dataDir, "audit", "--limit", "0"), /limit/);
});

test("RepoLifecycleVisibilityAndGatingAreRecorded", async () => {
  await ok(api("repos/create", { token: tokens.alice, method: "POST", body: { name: "acme/audited" } }));
  await ok(api("models/acme/audited/settings", { token: tokens.alice, method: "PUT", body: { private: true } }));
  await ok(api("models/acme/audited/settings", { token: tokens.alice, method: "PUT", body: { gated: "manual" } }));
  // A settings call that changes nothing records nothing.
  await ok(api("models/acme/audited/settings", { token: tokens.alice, method: "PUT", body: { private: true } }));
  await ok(api("repos/move", { token: tokens.alice, method: "POST", body: { fromRepo: "acme/audited", toRepo: "acme/renamed" } }));
  await ok(api("repos/delete", { token: tokens.alice, method: "DELETE", body: { name: "acme/renamed" } }));
  const { entries } = await ok(api("organizations/acme/audit-log", { token: tokens.alice }));
  const mine = entries.filter((e) => e.target === "model/acme/audited" || e.target === "model/acme/renamed");
  assert.deepEqual(mine.map((e) => e.action).reverse(),
                   ["repo.create", "repo.visibility", "repo.gating", "repo.move", "repo.delete"]);
  assert.equal(entry(entries, "repo.visibility", "model/acme/audited").detail.private, true);
  assert.equal(entry(entries, "repo.gating", "model/acme/audited").detail.gated, "manual");
  assert.equal(entry(entries, "repo.move", "model/acme/audited").detail.to, "acme/renamed");
  assert.ok(mine.every((e) => e.actor === "alice" && e.ip === "127.0.0.1"));
});
