// Who may push and fetch over git (spec §17.1): Basic auth where the password is the token
// and the username is ignored; 401 with a challenge when credentials are missing, so that git
// asks for them; 403 for a token that may read but not write; private repos hidden.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { startWharf, wharfAdmin } from "../lib/wharf.mjs";
import { curl, bearer } from "../lib/curl.mjs";
import { createRepo, commit, fileOp, sha256 } from "../lib/hub_ops.mjs";
import { GitClient, cloneUrl, bareRefs, assertUntouched, assertIndexMatchesGit } from "../lib/git_client.mjs";

const REPO = "guarded";
const STORE = `models/admin/${REPO}`;

let server;
let client;
let work;        // a clone of REPO with an origin that carries no credentials
let adminRead;   // the admin's read token
let bobRead;     // another user's read token
let bobWrite;    // another user's write token

const basic = (token, user = "anyone") => ({ Authorization: `Basic ${Buffer.from(`${user}:${token}`).toString("base64")}` });

// Pushes main to `url` expecting a refusal matching `pattern`; the repo stays as it was.
async function refusedPush(what, url, pattern) {
  const refs = await bareRefs(server.dataDir, STORE);
  const r = await client.fails(work, "push", url, "main");
  assert.match(r.stderr, pattern, `${what}: git said\n${r.stderr}`);
  await assertUntouched(server.dataDir, STORE, refs, what);
  return r;
}

describe("git auth", () => {
  before(async () => {
    server = await startWharf();
    client = await new GitClient().init();
    await createRepo(server, REPO);
    await createRepo(server, "hidden", { private: true });
    await commit(server, "hidden", "a private file", [fileOp("private.txt", "not for everyone\n")]);
    await wharfAdmin(server.dataDir, "user", "create", "bob");
    adminRead = await wharfAdmin(server.dataDir, "token", "create", "--user", "admin", "--role", "read");
    bobRead = await wharfAdmin(server.dataDir, "token", "create", "--user", "bob", "--role", "read");
    bobWrite = await wharfAdmin(server.dataDir, "token", "create", "--user", "bob", "--role", "write");
    work = client.dir("work");
    await client.ok(client.home, "clone", "-q", cloneUrl(server, `admin/${REPO}`), work);
    writeFileSync(join(work, "change.txt"), "a change nobody may push without a write token\n");
    await client.ok(work, "add", "change.txt");
    await client.ok(work, "commit", "-q", "-m", "a change");
  });

  after(async () => {
    client?.cleanup();
    await server?.stop();
  });

  test("PushWithoutCredentialsGets401AndGitReportsIt", async () => {
    const adv = await curl(`${server.url}/admin/${REPO}/info/refs?service=git-receive-pack`);
    assert.equal(adv.status, 401, adv.describe());
    assert.match(adv.header("WWW-Authenticate") ?? "", /^Basic realm="[^"]+"/);
    const post = await curl(`${server.url}/admin/${REPO}/git-receive-pack`, {
      method: "POST", headers: { "Content-Type": "application/x-git-receive-pack-request" }, body: "0000",
    });
    assert.equal(post.status, 401, post.describe());
    assert.match(post.header("WWW-Authenticate") ?? "", /^Basic /);
    // git asks for a username, and with prompts disabled says it could not.
    await refusedPush("no credentials", cloneUrl(server, `admin/${REPO}`),
      /could not read Username for 'http:\/\/127\.0\.0\.1:\d+': terminal prompts disabled/);
  });

  test("PushWithAWrongTokenIsAnAuthenticationFailure", async () => {
    const res = await curl(`${server.url}/admin/${REPO}/info/refs?service=git-receive-pack`, { headers: basic("hf_notatoken") });
    assert.equal(res.status, 401, res.describe());
    await refusedPush("wrong token", cloneUrl(server, `admin/${REPO}`, { token: "hf_notatoken" }), /Authentication failed/);
  });

  test("PushWithAReadTokenIsRefusedWith403AndAnOutsidersByTheHook", async () => {
    for (const [who, token] of [["the owner's read token", adminRead], ["another user's read token", bobRead]]) {
      const res = await curl(`${server.url}/admin/${REPO}/info/refs?service=git-receive-pack`, { headers: basic(token) });
      assert.equal(res.status, 403, `${who}: ${res.describe()}`);
      await refusedPush(who, cloneUrl(server, `admin/${REPO}`, { token }), /403/);
    }
    // Another user's write token may push to the refs of their own pull requests (so the
    // advertisement is theirs), but the hook refuses any branch or tag.
    const advert = await curl(`${server.url}/admin/${REPO}/info/refs?service=git-receive-pack`, { headers: basic(bobWrite) });
    assert.equal(advert.status, 200, advert.describe());
    await refusedPush("another user's write token", cloneUrl(server, `admin/${REPO}`, { token: bobWrite }),
                      /only the repository's writers move branches and tags/);
    // The same read token may fetch.
    const res = await curl(`${server.url}/admin/${REPO}/info/refs?service=git-upload-pack`, { headers: basic(adminRead) });
    assert.equal(res.status, 200, res.describe());
  });

  test("PushWithTheOwnersTokenAsBasicPasswordIsAccepted", async () => {
    // The username is ignored: any name works with the right token.
    const sha = await client.ok(work, "rev-parse", "HEAD");
    await client.ok(work, "push", "-q", cloneUrl(server, `admin/${REPO}`, { token: server.token, user: "hf_user" }), "main");
    assert.equal(await assertIndexMatchesGit(server, REPO), sha);
  });

  test("PushThroughACredentialHelperIncludingLfsUploads", async () => {
    // What `huggingface-cli login --add-to-git-credential` sets up: a stored credential for
    // the endpoint, username hf_user, password the token. git-lfs reads it too.
    const store = join(client.home, "credentials");
    const host = new URL(server.url).host;
    writeFileSync(store, `http://hf_user:${server.token}@${host}\n`, { mode: 0o600 });
    await client.ok(work, "config", "credential.helper", `store --file=${store}`);
    try {
      await client.ok(work, "lfs", "track", "*.bin");
      const bytes = randomBytes(64 * 1024);
      writeFileSync(join(work, "weights.bin"), bytes);
      await client.ok(work, "add", "-A");
      await client.ok(work, "commit", "-q", "-m", "weights through the helper");
      const sha = await client.ok(work, "rev-parse", "HEAD");
      await client.ok(work, "push", "-q", cloneUrl(server, `admin/${REPO}`), "main");
      assert.equal(await assertIndexMatchesGit(server, REPO), sha);
      const res = await fetch(`${server.url}/admin/${REPO}/resolve/main/weights.bin`);
      assert.equal(res.status, 200);
      assert.equal(sha256(Buffer.from(await res.arrayBuffer())), sha256(bytes));
    } finally {
      await client.ok(work, "config", "--unset", "credential.helper");
    }
  });

  test("LfsBatchUploadWithoutCredentialsAsksForThem", async () => {
    const url = `${server.url}/admin/${REPO}.git/info/lfs/objects/batch`;
    const body = JSON.stringify({ operation: "upload", transfers: ["basic"], objects: [{ oid: sha256("x"), size: 1 }] });
    const headers = { "Content-Type": "application/vnd.git-lfs+json", Accept: "application/vnd.git-lfs+json" };
    const anon = await curl(url, { method: "POST", headers, body });
    assert.equal(anon.status, 401, anon.describe());
    assert.match(anon.header("LFS-Authenticate") ?? "", /^Basic realm=/);
    const read = await curl(url, { method: "POST", headers: { ...headers, ...basic(adminRead) }, body });
    assert.equal(read.status, 403, read.describe());
    const locks = await curl(`${server.url}/admin/${REPO}.git/info/lfs/locks/verify`, {
      method: "POST", headers: { ...headers, ...basic(server.token) }, body: "{}",
    });
    assert.equal(locks.status, 501, locks.describe());
  });

  test("PrivateRepoIsHiddenFromOtherUsersAndClonedWithTheOwnersTokens", async () => {
    // (Anonymous clones of a private repo: clone.test.mjs.)
    const other = await client.fails(client.home, "clone", cloneUrl(server, "admin/hidden", { token: bobRead }),
      client.dir("bob-hidden"));
    assert.match(other.stderr, /not found|403|404/i);
    assert.ok(!existsSync(join(client.dir("bob-hidden"), "private.txt")));

    for (const token of [server.token, adminRead]) {
      const dir = client.dir(`owner-hidden-${token === adminRead ? "read" : "write"}`);
      await client.ok(client.home, "clone", "-q", cloneUrl(server, "admin/hidden", { token }), dir);
      assert.equal(readFileSync(join(dir, "private.txt"), "utf8"), "not for everyone\n");
    }
  });
});
