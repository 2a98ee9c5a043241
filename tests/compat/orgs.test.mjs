// Organizations: creation, members and roles, overviews, and what each role may do with the
// official JS client (whoAmI, createRepo, uploadFiles, modelInfo) against a real wharf.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as hub from "@huggingface/hub";
import { isApiError } from "../lib/js_client.mjs";
import { curl, bearer } from "../lib/curl.mjs";
import { DATE_RE } from "../lib/expect.mjs";
import { startWharf, wharfAdmin } from "../lib/wharf.mjs";

let server;
const tokens = {};  // user name -> write token
const creds = (user) => ({ hubUrl: server.url, accessToken: tokens[user] });

function api(path, { token, method = "GET", body } = {}) {
  return curl(`${server.url}/api/${path}`, {
    method,
    headers: { ...bearer(token), ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function ok(resPromise) {
  const res = await resPromise;
  assert.equal(res.status, 200, res.describe());
  return res.json();
}

function refused(res, status, code) {
  assert.equal(res.status, status, res.describe());
  if (code) assert.equal(res.header("X-Error-Code"), code, res.describe());
  assert.equal(typeof res.json().error, "string", res.describe());
  assert.equal(res.header("X-Error-Message"), res.json().error);
}

before(async () => {
  server = await startWharf();
  tokens.admin = server.token;
  for (const user of ["alice", "rita", "carl", "wendy", "adam", "stranger"]) {
    await wharfAdmin(server.dataDir, "user", "create", user);
    tokens[user] = await wharfAdmin(server.dataDir, "token", "create", "--user", user, "--role", "write");
  }
  const created = await ok(api("organizations/new", { token: tokens.alice, method: "POST", body: { name: "acme", fullname: "ACME Corp" } }));
  assert.deepEqual(created, { name: "acme", fullname: "ACME Corp", url: `${server.url}/acme` });
  for (const [user, role] of [["rita", "read"], ["carl", "contributor"], ["wendy", "write"], ["adam", "admin"]])
    await ok(api("organizations/acme/members", { token: tokens.alice, method: "POST", body: { user, role } }));
});

after(async () => {
  await server?.stop();
});

test("WhoAmIListsOrgsWithRoles", async () => {
  const me = await hub.whoAmI(creds("wendy"));
  assert.equal(me.name, "wendy");
  assert.equal(me.orgs.length, 1);
  assert.equal(me.orgs[0].type, "org");
  assert.equal(me.orgs[0].name, "acme");
  assert.equal(me.orgs[0].fullname, "ACME Corp");
  assert.equal(me.orgs[0].roleInOrg, "write");
  assert.equal((await hub.whoAmI(creds("alice"))).orgs[0].roleInOrg, "admin");
  assert.deepEqual((await hub.whoAmI(creds("stranger"))).orgs, []);
});

test("WritersAndContributorsCreateReposInTheOrgReadersDoNot", async () => {
  await hub.createRepo({ ...creds("wendy"), repo: "acme/by-writer" });
  await hub.createRepo({ ...creds("carl"), repo: "acme/by-contributor", visibility: "private" });
  await hub.uploadFiles({ ...creds("carl"), repo: "acme/by-contributor", files: [{ path: "a.txt", content: new Blob(["a"]) }] });
  await assert.rejects(hub.createRepo({ ...creds("rita"), repo: "acme/by-reader" }), isApiError(403));
  await assert.rejects(hub.createRepo({ ...creds("stranger"), repo: "acme/by-stranger" }), isApiError(403));
  // A contributor writes only to the repos they created; a writer to all of them.
  await assert.rejects(
    hub.uploadFiles({ ...creds("carl"), repo: "acme/by-writer", files: [{ path: "b.txt", content: new Blob(["b"]) }] }),
    isApiError(403));
  await hub.uploadFiles({ ...creds("wendy"), repo: "acme/by-contributor", files: [{ path: "w.txt", content: new Blob(["w"]) }] });
  // Members read the private repo; others do not see it.
  assert.equal((await hub.modelInfo({ ...creds("rita"), name: "acme/by-contributor" })).private, true);
  await assert.rejects(hub.modelInfo({ ...creds("stranger"), name: "acme/by-contributor" }), isApiError(404));
});

test("OrgOverviewCountsWhatTheCallerSees", async () => {
  await hub.createRepo({ ...creds("alice"), repo: { type: "dataset", name: "acme/secret-data" }, visibility: "private" });
  const member = await ok(api("organizations/acme/overview", { token: tokens.rita }));
  assert.equal(member.name, "acme");
  assert.equal(member.fullname, "ACME Corp");
  assert.equal(member.type, "org");
  assert.equal(member.numUsers, 5);
  assert.equal(member.numDatasets, 1);
  assert.ok(member.numModels >= 2);
  assert.equal(member.isVerified, false);
  assert.equal(member.numFollowers, 0);
  assert.match(member.createdAt, DATE_RE);
  assert.equal(typeof member._id, "string");
  assert.equal(member.avatarUrl, `${server.url}/avatars/acme`);
  const outsider = await ok(api("organizations/acme/overview", { token: tokens.stranger }));
  assert.equal(outsider.numDatasets, 0);
  assert.equal(outsider.numModels, member.numModels - 1);  // by-contributor is private
  const anonymous = await ok(api("organizations/ACME/overview"));
  assert.equal(anonymous.name, "acme");
  refused(await api("organizations/nope/overview"), 404);
  refused(await api("organizations/alice/overview"), 404);
});

test("UserOverviewShowsOrgsAndVisibleCounts", async () => {
  await hub.createRepo({ ...creds("stranger"), repo: "stranger/public-one" });
  await hub.createRepo({ ...creds("stranger"), repo: "stranger/hidden", visibility: "private" });
  const seen = await ok(api("users/stranger/overview", { token: tokens.alice }));
  assert.equal(seen.user, "stranger");
  assert.equal(seen.type, "user");
  assert.equal(seen.numModels, 1);
  assert.equal(seen.isPro, false);
  assert.deepEqual(seen.orgs, []);
  assert.match(seen.createdAt, DATE_RE);
  assert.equal((await ok(api("users/stranger/overview", { token: tokens.stranger }))).numModels, 2);
  const wendy = await ok(api("users/wendy/overview"));
  assert.deepEqual(wendy.orgs, [{ name: "acme", fullname: "ACME Corp", avatarUrl: `${server.url}/avatars/acme` }]);
  refused(await api("users/nobody/overview"), 404);
  refused(await api("users/acme/overview"), 404);
});

test("MembersListShowsRolesToMembersOnly", async () => {
  const asMember = await ok(api("organizations/acme/members", { token: tokens.rita }));
  assert.deepEqual(asMember.map((m) => [m.user, m.role]),
                   [["adam", "admin"], ["alice", "admin"], ["carl", "contributor"], ["rita", "read"], ["wendy", "write"]]);
  for (const m of asMember) {
    assert.equal(m.type, "user");
    assert.equal(m.isPro, false);
    assert.equal(m.avatarUrl, `${server.url}/avatars/${m.user}`);
  }
  const asStranger = await ok(api("organizations/acme/members", { token: tokens.stranger }));
  assert.equal(asStranger.length, 5);
  assert.ok(asStranger.every((m) => !("role" in m)));
  assert.ok((await ok(api("organizations/acme/members", { token: tokens.admin }))).every((m) => "role" in m));
  // Pages follow the Link header, as the clients do.
  const first = await api("organizations/acme/members?limit=2", { token: tokens.rita });
  assert.equal(first.json().length, 2);
  const next = first.header("Link").match(/^<([^>]+)>;\s+rel="next"$/);
  assert.ok(next, first.describe());
  const second = await curl(next[1], { headers: bearer(tokens.rita) });
  assert.deepEqual(second.json().map((m) => m.user), ["carl", "rita"]);
  refused(await api("organizations/acme/members?limit=0"), 400, "BadRequest");
  refused(await api("organizations/nope/members"), 404);
});

test("OnlyAdminsChangeMembers", async () => {
  await wharfAdmin(server.dataDir, "user", "create", "newbie");
  const add = { user: "newbie", role: "read" };
  refused(await api("organizations/acme/members", { method: "POST", body: add }), 401);
  refused(await api("organizations/acme/members", { token: tokens.wendy, method: "POST", body: add }), 403);
  refused(await api("organizations/acme/members", { token: tokens.stranger, method: "POST", body: add }), 403);
  refused(await api("organizations/acme/members/rita", { token: tokens.wendy, method: "PUT", body: { role: "admin" } }), 403);
  refused(await api("organizations/acme/members/carl", { token: tokens.rita, method: "DELETE" }), 403);
  refused(await api("organizations/acme/members", { token: tokens.alice, method: "POST", body: { user: "newbie", role: "owner" } }), 400, "BadRequest");
  refused(await api("organizations/acme/members", { token: tokens.alice, method: "POST", body: { user: "ghost", role: "read" } }), 404);
  refused(await api("organizations/nope/members", { token: tokens.alice, method: "POST", body: add }), 404);
  refused(await api("organizations/acme/members", { token: tokens.alice, method: "POST", body: "{not json" }), 400);
  refused(await api("organizations/acme/members", { token: tokens.alice, method: "POST", body: { user: "rita", role: "write" } }), 409);
  refused(await api("organizations/acme/members/stranger", { token: tokens.alice, method: "PUT", body: { role: "write" } }), 404);
  // A read token of an admin cannot manage members.
  const readToken = await wharfAdmin(server.dataDir, "token", "create", "--user", "alice", "--role", "read");
  refused(await api("organizations/acme/members", { token: readToken, method: "POST", body: add }), 403);
  // Nothing changed.
  const members = await ok(api("organizations/acme/members", { token: tokens.alice }));
  assert.deepEqual(members.map((m) => m.user), ["adam", "alice", "carl", "rita", "wendy"]);
  // An admin adds, changes and removes.
  await ok(api("organizations/acme/members", { token: tokens.adam, method: "POST", body: add }));
  await ok(api("organizations/acme/members/newbie", { token: tokens.adam, method: "PUT", body: { role: "write" } }));
  assert.equal((await hub.whoAmI({ hubUrl: server.url, accessToken: await wharfAdmin(server.dataDir, "token", "create", "--user", "newbie") })).orgs[0].roleInOrg, "write");
  await ok(api("organizations/acme/members/newbie", { token: tokens.adam, method: "DELETE" }));
});

test("TheLastAdminCannotLeaveOrBeDemoted", async () => {
  await ok(api("organizations/new", { token: tokens.stranger, method: "POST", body: { name: "solo" } }));
  refused(await api("organizations/solo/members/stranger", { token: tokens.stranger, method: "PUT", body: { role: "write" } }), 409, "Conflict");
  refused(await api("organizations/solo/members/stranger", { token: tokens.stranger, method: "DELETE" }), 409, "Conflict");
  refused(await api("organizations/solo/members/stranger", { token: tokens.admin, method: "DELETE" }), 409, "Conflict");
  const members = await ok(api("organizations/solo/members", { token: tokens.stranger }));
  assert.deepEqual(members.map((m) => [m.user, m.role]), [["stranger", "admin"]]);
});

test("OrgNamesShareTheUserNamespace", async () => {
  refused(await api("organizations/new", { method: "POST", body: { name: "x" } }), 401);
  refused(await api("organizations/new", { token: tokens.alice, method: "POST", body: { name: "wendy" } }), 409, "Conflict");
  refused(await api("organizations/new", { token: tokens.alice, method: "POST", body: { name: "ACME" } }), 409, "Conflict");
  refused(await api("organizations/new", { token: tokens.alice, method: "POST", body: { name: "a--b" } }), 400, "BadRequest");
  refused(await api("organizations/new", { token: tokens.alice, method: "POST", body: { name: "datasets" } }), 400, "BadRequest");
  refused(await api("organizations/new", { token: tokens.alice, method: "POST", body: {} }), 400, "BadRequest");
  refused(await api("organizations/new", { token: tokens.alice, method: "POST", body: { name: 5 } }), 400, "BadRequest");
  refused(await api("organizations/new", { token: tokens.alice, method: "GET" }), 405);
  refused(await api("organizations/new", { token: tokens.alice, method: "POST", body: { name: "<b>x</b>" } }), 400);
  await wharfAdmin(server.dataDir, "user", "create", "late");
  // A user name taken by an org cannot be created either.
  await assert.rejects(wharfAdmin(server.dataDir, "user", "create", "acme"));
});

test("MemberRemovedMidSessionLosesAccessOnTheNextRequest", async () => {
  await hub.createRepo({ ...creds("alice"), repo: "acme/private-weights", visibility: "private" });
  await hub.uploadFiles({ ...creds("alice"), repo: "acme/private-weights", files: [{ path: "w.bin", content: new Blob(["w"]) }] });
  await ok(api("organizations/acme/members", { token: tokens.alice, method: "POST", body: { user: "late", role: "write" } }));
  const late = { hubUrl: server.url, accessToken: await wharfAdmin(server.dataDir, "token", "create", "--user", "late") };
  assert.equal((await hub.modelInfo({ ...late, name: "acme/private-weights" })).private, true);
  await hub.uploadFiles({ ...late, repo: "acme/private-weights", files: [{ path: "late.txt", content: new Blob(["l"]) }] });
  await ok(api("organizations/acme/members/late", { token: tokens.alice, method: "DELETE" }));
  await assert.rejects(hub.modelInfo({ ...late, name: "acme/private-weights" }), isApiError(404));
  await assert.rejects(
    hub.uploadFiles({ ...late, repo: "acme/private-weights", files: [{ path: "x.txt", content: new Blob(["x"]) }] }),
    isApiError(404));
  assert.deepEqual((await hub.whoAmI(late)).orgs, []);
  // A member may leave on their own.
  await ok(api("organizations/acme/members", { token: tokens.alice, method: "POST", body: { user: "late", role: "read" } }));
  await ok(api("organizations/acme/members/late", { token: late.accessToken, method: "DELETE" }));
  assert.deepEqual((await hub.whoAmI(late)).orgs, []);
});

test("AdminCliManagesOrgs", async () => {
  await wharfAdmin(server.dataDir, "user", "create", "cli-owner");
  assert.match(await wharfAdmin(server.dataDir, "org", "create", "cliorg", "--user", "cli-owner"), /created organization cliorg/);
  await wharfAdmin(server.dataDir, "org", "member", "set", "cliorg", "rita", "--role", "contributor");
  await wharfAdmin(server.dataDir, "org", "member", "set", "cliorg", "rita", "--role", "write");
  assert.equal(await wharfAdmin(server.dataDir, "org", "members", "cliorg"), "cli-owner\tadmin\nrita\twrite");
  await assert.rejects(wharfAdmin(server.dataDir, "org", "member", "set", "cliorg", "rita", "--role", "boss"), /Invalid role/);
  await assert.rejects(wharfAdmin(server.dataDir, "org", "member", "remove", "cliorg", "cli-owner"), /at least one admin/);
  await wharfAdmin(server.dataDir, "org", "member", "remove", "cliorg", "rita");
  assert.equal(await wharfAdmin(server.dataDir, "org", "members", "cliorg"), "cli-owner\tadmin");
  await assert.rejects(wharfAdmin(server.dataDir, "org", "create", "cliorg", "--user", "cli-owner"), /already taken/);
  await assert.rejects(wharfAdmin(server.dataDir, "org", "members", "nope"), /Organization not found/);
  const lines = (await wharfAdmin(server.dataDir, "audit", "--namespace", "cliorg")).split("\n");
  assert.deepEqual(lines.map((l) => l.split("\t")[4]),
                   ["org.member_remove", "org.member_role", "org.member_add", "org.create"]);
  assert.ok(lines.every((l) => l.split("\t")[1] === "operator"), lines.join("\n"));
});
