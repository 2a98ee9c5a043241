// Access tokens through the API (curl) and the admin CLI: create, list, revoke, expiry,
// fine-grained scopes in and out, whoami-v2's view of each token, and the refusals.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as hub from "@huggingface/hub";
import { curl, bearer } from "../lib/curl.mjs";
import { DATE_RE } from "../lib/expect.mjs";
import { ndjson, fileOp } from "../lib/hub_ops.mjs";
import { startWharf, wharfAdmin } from "../lib/wharf.mjs";

let server;
let alice;  // alice's write token (from the admin CLI)

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

function refused(res, status, message) {
  assert.equal(res.status, status, res.describe());
  if (message) assert.equal(res.json().error, message, res.describe());
  assert.equal(res.header("X-Error-Message"), res.json().error);
}

const newToken = (body, token = alice) => ok(api("settings/tokens", { token, method: "POST", body }));

function commitTo(repo, token, path = "f.txt") {
  return curl(`${server.url}/api/models/${repo}/commit/main`, {
    method: "POST",
    headers: { ...bearer(token), "Content-Type": "application/x-ndjson" },
    body: ndjson(`add ${path}`, [fileOp(path, "hello\n")]),
  });
}

async function createRepo(name, token, extra = {}) {
  await ok(api("repos/create", { token, method: "POST", body: { name, ...extra } }));
}

before(async () => {
  server = await startWharf();
  await wharfAdmin(server.dataDir, "user", "create", "alice");
  await wharfAdmin(server.dataDir, "user", "create", "bob");
  alice = await wharfAdmin(server.dataDir, "token", "create", "--user", "alice", "--name", "bootstrap");
  await createRepo("one", alice);
  await createRepo("two", alice);
  await createRepo("hidden", alice, { private: true });
  const bob = await wharfAdmin(server.dataDir, "token", "create", "--user", "bob");
  await createRepo("bobs-private", bob, { private: true });
});

after(async () => {
  await server?.stop();
});

test("CreateListRevoke", async () => {
  const created = await newToken({ name: "laptop", role: "read" });
  assert.match(created.token, /^hf_[A-Za-z0-9]{34}$/);
  assert.equal(created.name, "laptop");
  assert.equal(created.role, "read");
  assert.equal(created.expiresAt, null);
  assert.deepEqual(created.scopes, []);
  assert.match(created.createdAt, DATE_RE);
  const me = await ok(api("whoami-v2", { token: created.token }));
  assert.equal(me.name, "alice");
  assert.equal(me.auth.accessToken.displayName, "laptop");
  assert.equal(me.auth.accessToken.role, "read");

  const listed = await ok(api("settings/tokens", { token: alice }));
  const mine = listed.find((t) => t.id === created.id);
  assert.deepEqual(Object.keys(mine).sort(), ["createdAt", "expiresAt", "id", "name", "role", "scopes"]);
  assert.ok(listed.some((t) => t.name === "bootstrap"));
  assert.ok(!JSON.stringify(listed).includes(created.token));

  await ok(api(`settings/tokens/${created.id}`, { token: alice, method: "DELETE" }));
  refused(await api("whoami-v2", { token: created.token }), 401, "Invalid credentials in Authorization header");
  refused(await api("models/alice/one", { token: created.token }), 401, "Invalid credentials in Authorization header");
  refused(await api(`settings/tokens/${created.id}`, { token: alice, method: "DELETE" }), 404);
  assert.ok(!(await ok(api("settings/tokens", { token: alice }))).some((t) => t.id === created.id));
});

test("OnlyWriteTokensManageTokens", async () => {
  const read = (await newToken({ name: "r", role: "read" })).token;
  const fine = (await newToken({ name: "f", role: "fineGrained", scopes: [{ entityType: "user", entity: "alice", permissions: ["repo.write"] }] })).token;
  for (const token of [read, fine]) {
    refused(await api("settings/tokens", { token }), 403);
    refused(await api("settings/tokens", { token, method: "POST", body: { name: "x", role: "write" } }), 403);
    refused(await api("settings/tokens/1", { token, method: "DELETE" }), 403);
  }
  refused(await api("settings/tokens"), 401);
  refused(await api("settings/tokens", { method: "POST", body: { name: "x", role: "write" } }), 401);
  refused(await api("settings/tokens", { token: "hf_notarealtokenatall000000000000000" }), 401, "Invalid credentials in Authorization header");
});

test("BadRequestsChangeNothing", async () => {
  const before = (await ok(api("settings/tokens", { token: alice }))).length;
  const bad = [
    "{not json",
    [],
    { role: "read" },
    { name: "x" },
    { name: "", role: "read" },
    { name: "x".repeat(101), role: "read" },
    { name: "x", role: "admin" },
    { name: "x", role: "read", expiresAt: "tomorrow" },
    { name: "x", role: "read", expiresAt: "2020-01-01T00:00:00.000Z" },
    { name: "x", role: "read", expiresAt: "2031-02-31" },
    { name: "x", role: "read", expiresAt: 5 },
    { name: "x", role: "fineGrained" },
    { name: "x", role: "fineGrained", scopes: [] },
    { name: "x", role: "fineGrained", scopes: "all" },
    { name: "x", role: "fineGrained", scopes: [{ entityType: "model", entity: "alice", permissions: ["repo.write"] }] },
    { name: "x", role: "fineGrained", scopes: [{ entityType: "model", entity: "alice/one", permissions: ["repo.admin"] }] },
    { name: "x", role: "fineGrained", scopes: [{ entityType: "model", entity: "alice/one", permissions: [] }] },
    { name: "x", role: "fineGrained", scopes: [{ entityType: "model", entity: "alice/one" }] },
    { name: "x", role: "fineGrained", scopes: [{ entityType: "planet", entity: "alice", permissions: ["repo.write"] }] },
    { name: "x", role: "write", scopes: [{ entityType: "user", entity: "alice", permissions: ["repo.write"] }] },
  ];
  for (const body of bad) {
    const res = await api("settings/tokens", { token: alice, method: "POST", body });
    refused(res, 400);
    assert.equal(res.header("X-Error-Code"), "BadRequest", res.describe());
  }
  refused(await api("settings/tokens/abc", { token: alice, method: "DELETE" }), 404);
  refused(await api("settings/tokens", { token: alice, method: "PUT", body: {} }), 405);
  assert.equal((await ok(api("settings/tokens", { token: alice }))).length, before);
});

test("ExpiredTokenIsRefused", async () => {
  const expiresAt = new Date(Date.now() + 1500).toISOString();
  const created = await newToken({ name: "short", role: "write", expiresAt });
  assert.equal(created.expiresAt, expiresAt);
  const me = await ok(api("whoami-v2", { token: created.token }));
  assert.equal(me.auth.expiresAt, expiresAt);
  await new Promise((r) => setTimeout(r, 1800));
  refused(await api("whoami-v2", { token: created.token }), 401, "Invalid credentials in Authorization header");
  refused(await commitTo("alice/one", created.token), 401, "Invalid credentials in Authorization header");
  // A date-only expiry is midnight UTC.
  const dated = await newToken({ name: "dated", role: "read", expiresAt: "2099-12-31" });
  assert.equal(dated.expiresAt, "2099-12-31T00:00:00.000Z");
});

test("FineGrainedTokenActsOnlyInsideItsScope", async () => {
  const created = await newToken({
    name: "ci", role: "fineGrained",
    scopes: [{ entityType: "model", entity: "alice/one", permissions: ["repo.write"] }],
  });
  assert.deepEqual(created.scopes, [{ entityType: "model", entity: "alice/one", permissions: ["repo.write"] }]);
  const token = created.token;
  assert.equal((await commitTo("alice/one", token)).status, 200);
  refused(await commitTo("alice/two", token), 403);
  refused(await commitTo("alice/hidden", token), 404);
  refused(await api("models/alice/hidden", { token }), 404);
  refused(await api("models/bob/bobs-private", { token }), 404);
  // Public repos stay readable, read-only.
  assert.equal((await api("models/alice/two", { token })).status, 200);
  refused(await api("repos/create", { token, method: "POST", body: { name: "new-one" } }), 403);

  // whoami-v2 in the Hub's fine-grained shape, read by the JS client.
  const me = await hub.whoAmI({ hubUrl: server.url, accessToken: token });
  assert.equal(me.name, "alice");
  assert.equal(me.auth.accessToken.role, "fineGrained");
  assert.equal(me.auth.accessToken.displayName, "ci");
  assert.ok(me.auth.accessToken.createdAt instanceof Date);
  assert.deepEqual(me.auth.accessToken.fineGrained.scoped,
                   [{ entity: { type: "model", name: "alice/one" }, permissions: ["repo.write"] }]);
});

test("FineGrainedNamespaceScope", async () => {
  const { token } = await newToken({
    name: "ns", role: "fineGrained",
    scopes: [{ entityType: "user", entity: "alice", permissions: ["repo.content.read"] }],
  });
  assert.equal((await api("models/alice/hidden", { token })).status, 200);
  refused(await commitTo("alice/one", token), 403);
  const me = await ok(api("whoami-v2", { token }));
  assert.deepEqual(me.auth.accessToken.fineGrained.scoped,
                   [{ entity: { type: "user", name: "alice" }, permissions: ["repo.content.read"] }]);
  const write = (await newToken({
    name: "ns-write", role: "fineGrained",
    scopes: [{ entityType: "namespace", entity: "alice", permissions: ["repo.write"] }],
  })).token;
  assert.equal((await commitTo("alice/two", write, "ns.txt")).status, 200);
  assert.equal((await commitTo("alice/hidden", write, "ns.txt")).status, 200);
  await createRepo("made-by-scoped", write);
});

test("AdminCliListsAndRevokesAnyUsersTokens", async () => {
  const created = await newToken({ name: "to-revoke", role: "read" });
  const lines = (await wharfAdmin(server.dataDir, "token", "list", "--user", "alice")).split("\n");
  const line = lines.find((l) => l.split("\t")[0] === created.id);
  assert.ok(line, lines.join("\n"));
  assert.deepEqual(line.split("\t").slice(1, 3), ["to-revoke", "read"]);
  assert.ok(!lines.join("\n").includes(created.token));
  await wharfAdmin(server.dataDir, "token", "revoke", "--user", "alice", created.id);
  refused(await api("whoami-v2", { token: created.token }), 401);
  await assert.rejects(wharfAdmin(server.dataDir, "token", "revoke", "--user", "alice", created.id), /Token not found/);
  await assert.rejects(wharfAdmin(server.dataDir, "token", "revoke", "--user", "bob", "1"), /Token not found/);
  await assert.rejects(wharfAdmin(server.dataDir, "token", "list", "--user", "ghost"), /User not found/);
  const audit = await wharfAdmin(server.dataDir, "audit", "--namespace", "alice", "--limit", "1");
  assert.deepEqual(audit.split("\t").slice(1, 6), ["operator", "-", "alice", "token.revoke", "to-revoke"]);
});
