// Gated repos (spec §13.3) over curl and git: asking for access (Bearer token or web session
// with its CSRF token), the admins' lists and decisions, and the gate on every content
// surface (resolve GET and HEAD, raw, LFS batch download, git clone) taking effect at once.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, createHash } from "node:crypto";
import { join } from "node:path";

import { startWharf, wharfAdmin } from "../lib/wharf.mjs";
import { curl, bearer } from "../lib/curl.mjs";
import { commit, createRepo, fileOp, lfsOp, lfsUpload, sha256 } from "../lib/hub_ops.mjs";
import { GitClient, cloneUrl, run } from "../lib/git_client.mjs";

let server;
const tokens = {};  // user -> write token
const README = [
  "---",
  "license: mit",
  "extra_gated_fields:",
  "  Company: text",
  "  Country: country",
  "  I agree to use this model for non-commercial use ONLY: checkbox",
  "---",
  "# gated",
  "",
].join("\n");
const PLAIN_README = "---\nlicense: mit\n---\n# no questions asked\n";
const FIELDS = { Company: "ACME", Country: "France", "I agree to use this model for non-commercial use ONLY": true };
const WEIGHTS = Buffer.from("gated weights ".repeat(3000));

async function user(name) {
  await wharfAdmin(server.dataDir, "user", "create", name);
  tokens[name] = await wharfAdmin(server.dataDir, "token", "create", "--user", name, "--role", "write");
}

// admin/<name> with README.md (by default with the access form) and weights.bin (LFS), gated or not.
async function gatedRepo(name, gated, readme = README) {
  await createRepo(server, name, { organization: "admin" });
  const w = await lfsUpload(server, name, WEIGHTS);
  await commit(server, name, "files", [fileOp("README.md", readme), lfsOp("weights.bin", w.oid, w.size)]);
  if (gated) await settings(`admin/${name}`, { gated });
}

async function settings(repo, body) {
  const res = await curl(`${server.url}/api/models/${repo}/settings`, {
    method: "PUT", headers: { ...bearer(server.token), "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, res.describe());
}

function ask(repo, token, body, type = "application/json") {
  const headers = { ...bearer(token) };
  if (body !== undefined) headers["Content-Type"] = type;
  return curl(`${server.url}/${repo}/ask-access`, {
    method: "POST", headers, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

function requests(repo, status, token = server.token, query = "") {
  return curl(`${server.url}/api/models/${repo}/user-access-request/${status}${query}`, { headers: bearer(token) });
}

function decide(repo, action, body, token = server.token) {
  return curl(`${server.url}/api/models/${repo}/user-access-request/${action}`, {
    method: "POST", headers: { ...bearer(token), "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
}

async function listed(repo, status) {
  const res = await requests(repo, status);
  assert.equal(res.status, 200, res.describe());
  return res.json().map((r) => r.user.user);
}

function resolve(repo, token, { method = "GET", path = "README.md", raw = false } = {}) {
  return curl(`${server.url}/${repo}/${raw ? "raw" : "resolve"}/main/${path}`, { method, headers: bearer(token) });
}

function lfsDownload(repo, token) {
  return curl(`${server.url}/${repo}.git/info/lfs/objects/batch`, {
    method: "POST",
    headers: { ...bearer(token), "Content-Type": "application/vnd.git-lfs+json", Accept: "application/vnd.git-lfs+json" },
    body: JSON.stringify({ operation: "download", transfers: ["basic"], objects: [{ oid: sha256(WEIGHTS), size: WEIGHTS.length }] }),
  });
}

function assertGated(res, status) {
  assert.equal(res.status, status, res.describe());
  assert.equal(res.header("X-Error-Code"), "GatedRepo", res.describe());
  // A pending request is told so; others are told the repo is restricted.
  assert.match(res.header("X-Error-Message") ?? "", /restricted|awaiting a review from the repo authors/);
}

// Every content surface refuses `token` with GatedRepo `status`, metadata stays readable.
async function assertContentGated(repo, token, status) {
  assertGated(await resolve(repo, token), status);
  assertGated(await resolve(repo, token, { method: "HEAD" }), status);
  assertGated(await resolve(repo, token, { raw: true }), status);
  assertGated(await resolve(repo, token, { path: "weights.bin" }), status);
  assertGated(await lfsDownload(repo, token), status);
  for (const path of [`/api/models/${repo}`, `/api/models/${repo}/tree/main`, `/api/models/${repo}/commits/main`,
                      `/api/models/${repo}/refs`]) {
    const res = await curl(`${server.url}${path}`, { headers: bearer(token) });
    assert.equal(res.status, 200, res.describe());
  }
  const info = await curl(`${server.url}/api/models/${repo}/paths-info/main`, {
    method: "POST", headers: { ...bearer(token), "Content-Type": "application/x-www-form-urlencoded" }, body: "paths=README.md",
  });
  assert.equal(info.status, 200, info.describe());
}

async function assertContentReadable(repo, token, readme = README) {
  const res = await resolve(repo, token);
  assert.equal(res.status, 200, res.describe());
  assert.equal(res.text, readme);
  assert.equal((await resolve(repo, token, { method: "HEAD" })).status, 200);
  assert.equal((await resolve(repo, token, { raw: true })).status, 200);
  const weights = await resolve(repo, token, { path: "weights.bin" });
  assert.equal(weights.status, 200, weights.describe());
  assert.deepEqual(weights.body, WEIGHTS);
  const batch = await lfsDownload(repo, token);
  assert.equal(batch.status, 200, batch.describe());
  assert.ok(batch.json().objects[0].actions?.download?.href, batch.text);
}

async function auditRows(action) {
  const r = await run("sqlite3", ["-readonly", "-json", join(server.dataDir, "wharf.db"),
    `SELECT actor, namespace, action, target, detail FROM audit_log WHERE action = '${action}' ORDER BY id`]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim() ? JSON.parse(r.stdout).map((row) => ({ ...row, detail: JSON.parse(row.detail) })) : [];
}

before(async () => {
  server = await startWharf();
  for (const name of ["alice", "bob", "carol", "dave", "erin", "p1", "p2", "p3"]) await user(name);
  await gatedRepo("manual", "manual");
  await gatedRepo("auto", "auto", PLAIN_README);
  await gatedRepo("plain", false);
  await gatedRepo("pages", "manual");
  await gatedRepo("gitgated", "manual");
  await createRepo(server, "hidden", { organization: "admin", private: true });
});
after(() => server?.stop());

test("ManualFlowAsksListsAcceptsAndRejects", async () => {
  const repo = "admin/manual";
  await assertContentGated(repo, undefined, 401);
  await assertContentGated(repo, tokens.alice, 403);

  const asked = await ask(repo, tokens.alice, FIELDS);
  assert.equal(asked.status, 200, asked.describe());
  assert.equal(asked.json().status, "pending");
  await assertContentGated(repo, tokens.alice, 403);  // pending gives nothing yet

  const pending = await requests(repo, "pending");
  assert.equal(pending.status, 200, pending.describe());
  const [entry] = pending.json().filter((r) => r.user.user === "alice");
  assert.ok(entry, pending.text);
  assert.equal(entry.status, "pending");
  assert.match(entry.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual(entry.fields, { ...FIELDS, "I agree to use this model for non-commercial use ONLY": "true" });
  assert.ok("fullname" in entry.user && "avatarUrl" in entry.user, pending.text);
  assert.ok(!(await listed(repo, "accepted")).includes("alice"));

  const accept = await decide(repo, "handle", { user: "alice", status: "accepted" });
  assert.equal(accept.status, 200, accept.describe());
  accept.json();
  await assertContentReadable(repo, tokens.alice);
  assert.ok((await listed(repo, "accepted")).includes("alice"));
  assert.ok(!(await listed(repo, "pending")).includes("alice"));
  // Asking again while accepted keeps the decision.
  assert.equal((await ask(repo, tokens.alice)).json().status, "accepted");

  const reject = await decide(repo, "handle", { user: "alice", status: "rejected", rejectionReason: "not now" });
  assert.equal(reject.status, 200, reject.describe());
  await assertContentGated(repo, tokens.alice, 403);
  assert.ok((await listed(repo, "rejected")).includes("alice"));
  // A rejected user cannot put themselves back in the queue.
  const again = await ask(repo, tokens.alice, FIELDS);
  assert.equal(again.status, 403, again.describe());
  assert.match(again.json().error, /rejected/);
  assert.ok((await listed(repo, "rejected")).includes("alice"));

  const target = "model/admin/manual";
  assert.ok((await auditRows("access.request")).some((r) => r.actor === "alice" && r.target === target && r.detail.user === "alice"));
  for (const action of ["access.accepted", "access.rejected"]) {
    const rows = (await auditRows(action)).filter((r) => r.target === target && r.detail.user === "alice");
    assert.equal(rows.length, 1, action);
    assert.equal(rows[0].actor, "admin");
    assert.equal(rows[0].namespace, "admin");
  }
});

test("AutoModeAcceptsAtOnce", async () => {
  const repo = "admin/auto";
  await assertContentGated(repo, tokens.alice, 403);
  const asked = await ask(repo, tokens.alice);  // an empty body is a request without fields
  assert.equal(asked.status, 200, asked.describe());
  assert.equal(asked.json().status, "accepted");
  await assertContentReadable(repo, tokens.alice, PLAIN_README);
  assert.deepEqual(await listed(repo, "accepted"), ["alice"]);
  assert.ok((await auditRows("access.accepted")).some((r) => r.actor === "alice" && r.target === "model/admin/auto"));
});

test("GrantAndCancel", async () => {
  const repo = "admin/manual";
  const grant = await decide(repo, "grant", { user: "bob" });
  assert.equal(grant.status, 200, grant.describe());
  assert.equal(typeof grant.json(), "object");
  await assertContentReadable(repo, tokens.bob);
  assert.equal((await decide(repo, "grant", { user: "bob" })).status, 400);  // already has access
  assert.ok((await auditRows("access.grant")).some((r) => r.detail.user === "bob" && r.actor === "admin"));

  // cancel_access_request: back to pending, access gone at the next request.
  const cancel = await decide(repo, "handle", { user: "bob", status: "pending" });
  assert.equal(cancel.status, 200, cancel.describe());
  await assertContentGated(repo, tokens.bob, 403);
  assert.ok((await listed(repo, "pending")).includes("bob"));
  assert.equal((await decide(repo, "handle", { user: "bob", status: "pending" })).status, 404);  // already there

  assert.equal((await decide(repo, "handle", { user: "carol", status: "accepted" })).status, 404);  // never asked
  assert.equal((await decide(repo, "handle", { user: "nobody", status: "accepted" })).status, 404);
  assert.equal((await decide(repo, "grant", { user: "nobody" })).status, 404);
  assert.equal((await decide(repo, "handle", { user: "bob", status: "maybe" })).status, 400);
  assert.equal((await decide(repo, "handle", { user: "bob", status: "rejected", rejectionReason: "x".repeat(201) })).status, 400);
  assert.equal((await decide(repo, "handle", { status: "accepted" })).status, 400);
  assert.ok((await listed(repo, "pending")).includes("bob"), "refused decisions change nothing");
});

test("AskAccessValidatesTheOwnersFields", async () => {
  const repo = "admin/manual";
  const cases = [
    [{ Company: "ACME", Country: "France" }, /non-commercial/],                    // checkbox missing
    [{ ...FIELDS, "I agree to use this model for non-commercial use ONLY": false }, /non-commercial/],
    [{ ...FIELDS, Company: "   " }, /Company/],
    [{ ...FIELDS, Country: "x".repeat(1025) }, /too long/],
    [{ ...FIELDS, Company: ["a"] }, /Company/],
    ["[1, 2]", /JSON object/],
    ["{not json", /JSON object/],
  ];
  for (const [body, message] of cases) {
    const res = await ask(repo, tokens.dave, body);
    assert.equal(res.status, 400, res.describe());
    assert.match(res.json().error, message);
  }
  const multipart = await ask(repo, tokens.dave, "x", "multipart/form-data; boundary=b");
  assert.equal(multipart.status, 400, multipart.describe());
  const huge = await ask(repo, tokens.dave, JSON.stringify({ Company: "x".repeat(70000) }));
  assert.equal(huge.status, 413, huge.describe());
  assert.ok(!(await listed(repo, "pending")).includes("dave"), "refused requests store nothing");

  // A form post with every field (and an unknown one, ignored) is a request.
  const form = "Company=Dave+%26+Co&Country=Chile&I+agree+to+use+this+model+for+non-commercial+use+ONLY=on&Extra=1";
  const ok = await ask(repo, tokens.dave, form, "application/x-www-form-urlencoded");
  assert.equal(ok.status, 200, ok.describe());
  const entry = (await requests(repo, "pending")).json().find((r) => r.user.user === "dave");
  assert.deepEqual(entry.fields, { Company: "Dave & Co", Country: "Chile", "I agree to use this model for non-commercial use ONLY": "true" });
});

test("AskAccessRefusals", async () => {
  const anon = await ask("admin/manual", undefined, FIELDS);
  assert.equal(anon.status, 401, anon.describe());
  const plain = await ask("admin/plain", tokens.erin);
  assert.equal(plain.status, 400, plain.describe());
  const hidden = await ask("admin/hidden", tokens.erin);
  assert.equal(hidden.status, 404, hidden.describe());
  assert.equal(hidden.header("X-Error-Code"), "RepoNotFound");
  const hiddenAnon = await ask("admin/hidden", undefined);
  assert.equal(hiddenAnon.status, 401, hiddenAnon.describe());
  assert.equal(hiddenAnon.header("X-Error-Code"), "RepoNotFound");
  const missing = await ask("admin/does-not-exist", tokens.erin);
  assert.equal(missing.status, 404, missing.describe());
  const badToken = await ask("admin/manual", "hf_notarealtokenatall0000000000000000");
  assert.equal(badToken.status, 401, badToken.describe());
  const get = await curl(`${server.url}/admin/manual/ask-access`, { headers: bearer(tokens.erin) });
  assert.equal(get.status, 405, get.describe());
});

test("AskAccessThroughTheWebSessionNeedsItsCsrfToken", async () => {
  const secret = randomBytes(24).toString("hex");
  const csrf = randomBytes(16).toString("hex");
  const hash = createHash("sha256").update(secret).digest("hex");
  const now = Date.now();
  const r = await run("sqlite3", [join(server.dataDir, "wharf.db"),
    `INSERT INTO sessions (hash, user_id, csrf, created_at, expires_at) SELECT '${hash}', id, '${csrf}', ${now}, ${now + 3600000} FROM users WHERE name = 'carol'`]);
  assert.equal(r.code, 0, r.stderr);
  const form = (extra) => "Company=C&Country=Peru&I+agree+to+use+this+model+for+non-commercial+use+ONLY=on" + extra;
  const post = (cookie, body) => curl(`${server.url}/admin/manual/ask-access`, {
    method: "POST", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, body,
  });

  for (const body of [form(""), form("&csrf=wrong"), form(`&csrf=${csrf}x`)]) {
    const res = await post(`wharf_session=${secret}`, body);
    assert.equal(res.status, 403, res.describe());
    assert.match(res.json().error, /CSRF/);
  }
  const unknown = await post(`wharf_session=${"0".repeat(48)}`, form(`&csrf=${csrf}`));
  assert.equal(unknown.status, 401, unknown.describe());
  assert.ok(!(await listed("admin/manual", "pending")).includes("carol"));

  const ok = await post(`theme=dark; wharf_session=${secret}`, form(`&csrf=${csrf}`));
  assert.equal(ok.status, 303, ok.describe());
  assert.equal(ok.header("Location"), `${server.url}/admin/manual`);
  assert.ok((await listed("admin/manual", "pending")).includes("carol"));
});

test("OnlyTheRepoWritersSeeAndDecide", async () => {
  const repo = "admin/manual";
  const byBob = await requests(repo, "pending", tokens.bob);
  assert.equal(byBob.status, 403, byBob.describe());
  assert.equal((await requests(repo, "pending", null)).status, 401);
  assert.equal((await decide(repo, "handle", { user: "bob", status: "accepted" }, tokens.bob)).status, 403);
  assert.equal((await decide(repo, "grant", { user: "bob" }, tokens.bob)).status, 403);
  await assertContentGated(repo, tokens.bob, 403);
  const adminRead = await wharfAdmin(server.dataDir, "token", "create", "--user", "admin", "--role", "read");
  assert.equal((await decide(repo, "grant", { user: "erin" }, adminRead)).status, 403);
  const hidden = await requests("admin/hidden", "pending", tokens.bob);
  assert.equal(hidden.status, 404, hidden.describe());
  assert.equal(hidden.header("X-Error-Code"), "RepoNotFound");

  assert.equal((await requests(repo, "reset")).status, 400);
  assert.equal((await requests("admin/plain", "pending")).status, 400);  // not gated
  assert.equal((await curl(`${server.url}/api/models/${repo}/user-access-request/handle`, { headers: bearer(server.token) })).status, 405);
  assert.equal((await requests(repo, "pending", server.token, "?limit=0")).status, 400);
  assert.equal((await requests(repo, "pending", server.token, "?limit=abc")).status, 400);
});

test("ListsArePagedWithLinkHeaders", async () => {
  const repo = "admin/pages";
  for (const name of ["p1", "p2", "p3"]) assert.equal((await ask(repo, tokens[name], FIELDS)).status, 200);
  let next = `${server.url}/api/models/${repo}/user-access-request/pending?limit=2`;
  const seen = [];
  let pages = 0;
  while (next) {
    const res = await curl(next, { headers: bearer(server.token) });
    assert.equal(res.status, 200, res.describe());
    seen.push(...res.json().map((r) => r.user.user));
    next = res.header("Link")?.match(/^<([^>]+)>; rel="next"$/)?.[1];
    pages++;
  }
  assert.equal(pages, 2);
  assert.deepEqual(seen, ["p1", "p2", "p3"]);  // oldest first
});

test("OwnerOperatorAndOrgMembersAreNeverGated", async () => {
  await wharfAdmin(server.dataDir, "org", "create", "acme", "--user", "admin");
  await wharfAdmin(server.dataDir, "org", "member", "set", "acme", "dave", "--role", "read");
  await createRepo(server, "weights", { organization: "acme" });
  const c = await curl(`${server.url}/api/models/acme/weights/commit/main`, {
    method: "POST", headers: { ...bearer(server.token), "Content-Type": "application/x-ndjson" },
    body: [{ key: "header", value: { summary: "readme" } }, fileOp("README.md", README)].map((l) => JSON.stringify(l)).join("\n") + "\n",
  });
  assert.equal(c.status, 200, c.describe());
  await settings("acme/weights", { gated: "manual" });
  for (const token of [server.token, tokens.dave]) {
    const res = await resolve("acme/weights", token);
    assert.equal(res.status, 200, res.describe());
  }
  assertGated(await resolve("acme/weights", tokens.erin), 403);
  // A member has nothing to ask for and no request is stored.
  assert.equal((await ask("acme/weights", tokens.dave)).json().status, "accepted");
  const accepted = await curl(`${server.url}/api/models/acme/weights/user-access-request/accepted`, { headers: bearer(server.token) });
  assert.deepEqual(accepted.json(), []);
});

test("GitCloneOfAGatedRepoNeedsAnAcceptedRequest", async () => {
  const client = await new GitClient().init();
  try {
    const repo = "admin/gitgated";
    const refused = await client.fails(client.home, "clone", "-q", cloneUrl(server, repo, { token: tokens.erin }), client.dir("refused"));
    assert.match(refused.stderr, /403|GatedRepo|restricted/);
    const anon = await client.fails(client.home, "ls-remote", cloneUrl(server, repo));
    assert.doesNotMatch(anon.stdout, /refs\/heads\/main/);

    assert.equal((await decide(repo, "grant", { user: "erin" })).status, 200);
    await client.ok(client.home, "clone", "-q", cloneUrl(server, repo, { token: tokens.erin }), client.dir("ok"));
    assert.equal(await client.ok(client.dir("ok"), "show", "HEAD:README.md"), README.trim());
    assert.equal(await client.ok(client.dir("ok"), "lfs", "ls-files", "-n"), "weights.bin");

    // Rejected again: the next fetch is refused.
    assert.equal((await decide(repo, "handle", { user: "erin", status: "rejected" })).status, 200);
    await client.fails(client.dir("ok"), "fetch", "-q", "origin");
  } finally {
    client.cleanup();
  }
});
