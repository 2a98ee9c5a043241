// Private and gated repos through @huggingface/hub (and, for the surfaces the JS client does
// not reach, curl and git): a private repo answers exactly as a missing one to anyone who
// may not read it, on every surface; a gated repo shows its metadata and refuses content
// with GatedRepo until the user's request is accepted.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as hub from "@huggingface/hub";

import { startWharf, wharfAdmin } from "../lib/wharf.mjs";
import { curl, bearer } from "../lib/curl.mjs";
import { commit, createRepo, fileOp, lfsOp, lfsUpload, sha256 } from "../lib/hub_ops.mjs";
import { GitClient, cloneUrl } from "../lib/git_client.mjs";
import { isApiError, downloadBytes } from "../lib/js_client.mjs";
import { collect } from "../lib/content.mjs";

let server;
let owner;  // the operator, who owns admin/*
let bob;    // another user's write token
let anon;
const PRIVATE = "admin/secret";
const GATED = "admin/gated";
const TEXT = Buffer.from("top secret\n");
const WEIGHTS = Buffer.from("private weights ".repeat(4000));

async function repoWithFiles(name, extra) {
  await createRepo(server, name, { organization: "admin", ...extra });
  const w = await lfsUpload(server, name, WEIGHTS);
  await commit(server, name, "files", [fileOp("secret.txt", TEXT), lfsOp("weights.bin", w.oid, w.size)]);
}

async function settings(repo, body) {
  const res = await curl(`${server.url}/api/models/${repo}/settings`, {
    method: "PUT", headers: { ...bearer(server.token), "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, res.describe());
}

// A predicate for assert.rejects: HubApiError with this status whose message says why.
const apiError = (status, message) => (e) => isApiError(status)(e) && message.test(e.message);

before(async () => {
  server = await startWharf();
  owner = { hubUrl: server.url, accessToken: server.token };
  anon = { hubUrl: server.url };
  await wharfAdmin(server.dataDir, "user", "create", "bob");
  bob = { hubUrl: server.url, accessToken: await wharfAdmin(server.dataDir, "token", "create", "--user", "bob", "--role", "write") };
  await repoWithFiles("secret", { private: true });
  await repoWithFiles("gated", {});
  await settings(GATED, { gated: "manual" });
});
after(() => server?.stop());

// --- private repos ---

test("PrivateRepoIsInvisibleToAnonymousJsClient", async () => {
  await assert.rejects(hub.modelInfo({ ...anon, name: PRIVATE }), isApiError(401));
  assert.equal(await hub.repoExists({ ...anon, repo: PRIVATE }), false);
  // fileExists only maps 404 to false: the 401 of an anonymous caller is an error (which
  // one: FileExistsErrorsAreHubApiErrors).
  await assert.rejects(hub.fileExists({ ...anon, repo: PRIVATE, path: "secret.txt" }));
  await assert.rejects(collect(hub.listFiles({ ...anon, repo: PRIVATE })), isApiError(401));
  await assert.rejects(hub.downloadFile({ ...anon, repo: PRIVATE, path: "secret.txt" }), isApiError(401));
  await assert.rejects(hub.pathsInfo({ ...anon, repo: PRIVATE, paths: ["secret.txt"] }), isApiError(401));
});

test("PrivateRepoIsInvisibleToAnotherUserJsClient", async () => {
  await assert.rejects(hub.modelInfo({ ...bob, name: PRIVATE }), apiError(404, /Repository not found/));
  assert.equal(await hub.repoExists({ ...bob, repo: PRIVATE }), false);
  assert.equal(await hub.fileExists({ ...bob, repo: PRIVATE, path: "secret.txt" }), false);
  await assert.rejects(collect(hub.listFiles({ ...bob, repo: PRIVATE })), isApiError(404));
  await assert.rejects(hub.downloadFile({ ...bob, repo: PRIVATE, path: "weights.bin" }), isApiError(404));
  await assert.rejects(collect(hub.listCommits({ ...bob, repo: PRIVATE })), isApiError(404));
});

test("OwnerReadsPrivateRepoWithJsClient", async () => {
  const info = await hub.modelInfo({ ...owner, name: PRIVATE });
  assert.equal(info.private, true);
  assert.equal(await hub.repoExists({ ...owner, repo: PRIVATE }), true);
  assert.equal(await hub.fileExists({ ...owner, repo: PRIVATE, path: "secret.txt" }), true);
  assert.deepEqual((await collect(hub.listFiles({ ...owner, repo: PRIVATE }))).map((f) => f.path).sort(),
    [".gitattributes", "secret.txt", "weights.bin"]);
  assert.deepEqual(await downloadBytes(owner, { repo: PRIVATE, path: "weights.bin" }), WEIGHTS);
});

// Every surface, raw: a private repo's answer is the answer for a repo that does not exist.
const SURFACES = [
  ["info", (r) => ({ path: `/api/models/${r}` })],
  ["revision", (r) => ({ path: `/api/models/${r}/revision/main` })],
  ["tree", (r) => ({ path: `/api/models/${r}/tree/main` })],
  ["paths-info", (r) => ({ path: `/api/models/${r}/paths-info/main`, method: "POST",
                          type: "application/x-www-form-urlencoded", body: "paths=secret.txt" })],
  ["commits", (r) => ({ path: `/api/models/${r}/commits/main` })],
  ["refs", (r) => ({ path: `/api/models/${r}/refs` })],
  ["resolve", (r) => ({ path: `/${r}/resolve/main/secret.txt` })],
  ["resolve HEAD", (r) => ({ path: `/${r}/resolve/main/secret.txt`, method: "HEAD" })],
  ["resolve LFS", (r) => ({ path: `/${r}/resolve/main/weights.bin` })],
  ["raw", (r) => ({ path: `/${r}/raw/main/secret.txt` })],
  ["LFS batch", (r) => ({ path: `/${r}.git/info/lfs/objects/batch`, method: "POST", type: "application/vnd.git-lfs+json",
                         body: JSON.stringify({ operation: "download", objects: [{ oid: sha256(WEIGHTS), size: WEIGHTS.length }] }) })],
  ["git info/refs", (r) => ({ path: `/${r}.git/info/refs?service=git-upload-pack`, basic: true })],
  ["ask-access", (r) => ({ path: `/${r}/ask-access`, method: "POST" })],
  ["access requests", (r) => ({ path: `/api/models/${r}/user-access-request/pending` })],
];

function send(build, repo, token) {
  const { path, method = "GET", type, body, basic } = build(repo);
  const headers = {};
  if (token) headers.Authorization = basic ? `Basic ${Buffer.from(`user:${token}`).toString("base64")}` : `Bearer ${token}`;
  if (type) headers["Content-Type"] = type;
  return curl(`${server.url}${path}`, { method, headers, body });
}

// Status, code and message: what a caller can learn from the answer.
const visible = (res) => [res.status, res.header("X-Error-Code"), res.header("X-Error-Message")];

test("PrivateRepoAnswersAsAMissingOneOnEverySurface", async () => {
  for (const [who, token, status] of [["anonymous", undefined, 401], ["bob", bob.accessToken, 404]]) {
    for (const [name, build] of SURFACES) {
      const hidden = await send(build, PRIVATE, token);
      const missing = await send(build, "admin/no-such-repo", token);
      assert.equal(hidden.status, status, `${name} as ${who}: ${hidden.describe()}`);
      assert.equal(hidden.header("X-Error-Code"), "RepoNotFound", `${name} as ${who}: ${hidden.describe()}`);
      assert.deepEqual(visible(hidden), visible(missing), `${name} as ${who}`);
      assert.doesNotMatch(hidden.text, /secret|weights/, `${name} as ${who}`);
    }
  }
});

test("PrivateRepoIsInvisibleToGit", async () => {
  const client = await new GitClient().init();
  try {
    for (const token of [undefined, bob.accessToken]) {
      const r = await client.fails(client.home, "ls-remote", cloneUrl(server, PRIVATE, { token }));
      assert.doesNotMatch(r.stdout, /refs\/heads/);
      await client.fails(client.home, "clone", "-q", cloneUrl(server, PRIVATE, { token }), client.dir("x"));
    }
    assert.match(await client.ok(client.home, "ls-remote", cloneUrl(server, PRIVATE, { token: server.token })), /refs\/heads\/main/);
  } finally {
    client.cleanup();
  }
});

test("MadePublicTheRepoIsVisibleAgainAndPrivateHidesItAtOnce", async () => {
  await createRepo(server, "flip", { organization: "admin", private: true });
  await commit(server, "flip", "a file", [fileOp("a.txt", "a\n")]);
  const repo = "admin/flip";
  assert.equal(await hub.repoExists({ ...anon, repo }), false);

  await settings(repo, { private: false });
  assert.equal((await hub.modelInfo({ ...anon, name: repo })).private, false);
  assert.equal((await downloadBytes(anon, { repo, path: "a.txt" })).toString(), "a\n");
  assert.equal(await hub.fileExists({ ...bob, repo, path: "a.txt" }), true);
  const client = await new GitClient().init();
  try {
    await client.ok(client.home, "clone", "-q", cloneUrl(server, repo), client.dir("flip"));
    assert.equal(await client.ok(client.dir("flip"), "show", "HEAD:a.txt"), "a");
    await settings(repo, { private: true });
    await client.fails(client.dir("flip"), "fetch", "-q", "origin");
  } finally {
    client.cleanup();
  }
  assert.equal(await hub.repoExists({ ...anon, repo }), false);
  await assert.rejects(hub.modelInfo({ ...bob, name: repo }), isApiError(404));
});

// --- gated repos ---

test("GatedRepoShowsMetadataAndRefusesContentToAnonymous", async () => {
  const info = await hub.modelInfo({ ...anon, name: GATED });
  assert.equal(info.gated, "manual");
  assert.equal(await hub.repoExists({ ...anon, repo: GATED }), true);
  assert.deepEqual((await collect(hub.listFiles({ ...anon, repo: GATED }))).map((f) => f.path).sort(),
    [".gitattributes", "secret.txt", "weights.bin"]);
  await assert.rejects(hub.downloadFile({ ...anon, repo: GATED, path: "secret.txt" }),
    apiError(401, /restricted.*log in/i));
  // fileExists is a HEAD: no body, so the headers must say why.
  await assert.rejects(hub.fileExists({ ...anon, repo: GATED, path: "secret.txt" }));
  const head = await curl(`${server.url}/${GATED}/raw/main/secret.txt`, { method: "HEAD" });
  assert.equal(head.status, 401, head.describe());
  assert.equal(head.header("X-Error-Code"), "GatedRepo");
  assert.match(head.header("X-Error-Message"), /restricted/);
});

test("GatedRepoRefusesContentUntilTheRequestIsAccepted", async () => {
  await assert.rejects(hub.downloadFile({ ...bob, repo: GATED, path: "weights.bin" }),
    apiError(403, /not in the authorized list/));
  await assert.rejects(hub.fileExists({ ...bob, repo: GATED, path: "secret.txt" }));
  const head = await curl(`${server.url}/${GATED}/resolve/main/secret.txt`, { method: "HEAD", headers: bearer(bob.accessToken) });
  assert.equal(head.status, 403, head.describe());
  assert.equal(head.header("X-Error-Code"), "GatedRepo");

  const ask = await curl(`${server.url}/${GATED}/ask-access`, { method: "POST", headers: bearer(bob.accessToken) });
  assert.equal(ask.status, 200, ask.describe());
  await assert.rejects(hub.downloadFile({ ...bob, repo: GATED, path: "secret.txt" }), isApiError(403));

  const accept = await curl(`${server.url}/api/models/${GATED}/user-access-request/handle`, {
    method: "POST", headers: { ...bearer(server.token), "Content-Type": "application/json" },
    body: JSON.stringify({ user: "bob", status: "accepted" }),
  });
  assert.equal(accept.status, 200, accept.describe());
  assert.deepEqual(await downloadBytes(bob, { repo: GATED, path: "weights.bin" }), WEIGHTS);
  assert.equal(await hub.fileExists({ ...bob, repo: GATED, path: "secret.txt" }), true);
  // The owner never needed a request; anonymous callers still get nothing.
  assert.deepEqual(await downloadBytes(owner, { repo: GATED, path: "secret.txt" }), TEXT);
  await assert.rejects(hub.downloadFile({ ...anon, repo: GATED, path: "secret.txt" }), isApiError(401));
});

// The JS client parses the body of any error whose Content-Type is JSON, also after a HEAD,
// which has none: a HEAD error answer must not announce a JSON body (the Hub's are text/plain).
test("FileExistsErrorsAreHubApiErrors", async () => {
  await assert.rejects(hub.fileExists({ ...anon, repo: PRIVATE, path: "secret.txt" }), isApiError(401));
  await assert.rejects(hub.fileExists({ ...anon, repo: GATED, path: "secret.txt" }), isApiError(401));
  await wharfAdmin(server.dataDir, "user", "create", "carol");
  const carol = { hubUrl: server.url, accessToken: await wharfAdmin(server.dataDir, "token", "create", "--user", "carol", "--role", "read") };
  await assert.rejects(hub.fileExists({ ...carol, repo: GATED, path: "secret.txt" }), isApiError(403));
});
