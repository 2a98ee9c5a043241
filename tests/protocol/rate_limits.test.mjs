// Rate limits (issue 4 item 6): the IETF RateLimit headers on every limited answer, 429 with
// Retry-After past the limit, separate buckets for API calls, resolves and pages, a bucket
// per user by tier, and the throttle on invalid credentials. Tiny limits make each edge
// reachable in a few requests; every request of this file comes from 127.0.0.1.
import { before, after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";

import { startWharf, wharfAdmin } from "../lib/wharf.mjs";
import { curl, bearer } from "../lib/curl.mjs";
import { commit, createRepo, fileOp, lfsBatch, sha256 } from "../lib/hub_ops.mjs";

// huggingface_hub's parsers (utils/_http.py, _RATELIMIT_REGEX and _RATELIMIT_POLICY_REGEX),
// in JavaScript syntax: what the Python client reads to wait before retrying a 429.
const RATELIMIT_REGEX = /"(?<resource_type>\w+)"\s*;\s*r\s*=\s*(?<r>\d+)\s*;\s*t\s*=\s*(?<t>\d+)/;
const RATELIMIT_POLICY_REGEX = /q\s*=\s*(?<q>\d+).*?w\s*=\s*(?<w>\d+)/;

// The parsed headers of a response, asserting the exact format the Hub documents.
function rateLimit(res) {
  const value = res.header("RateLimit");
  const policy = res.header("RateLimit-Policy");
  assert.ok(value && policy, `no RateLimit headers: ${res.describe()}`);
  assert.match(value, /^"\w+";r=\d+;t=\d+$/, res.describe());
  assert.match(policy, /^"fixed window";"\w+";q=\d+;w=\d+$/, res.describe());
  const m = value.match(RATELIMIT_REGEX);
  const p = policy.match(RATELIMIT_POLICY_REGEX);
  assert.ok(m && p, `huggingface_hub would not parse: ${value} / ${policy}`);
  assert.equal(policy.split(";")[1], `"${m.groups.resource_type}"`);
  return { bucket: m.groups.resource_type, r: Number(m.groups.r), t: Number(m.groups.t),
           q: Number(p.groups.q), w: Number(p.groups.w) };
}

function assertTooMany(res, bucket) {
  assert.equal(res.status, 429, res.describe());
  assert.equal(res.header("X-Error-Code"), "TooManyRequests", res.describe());
  assert.ok(res.json().error.length > 0);
  const rl = rateLimit(res);
  assert.equal(rl.bucket, bucket);
  assert.equal(rl.r, 0);
  assert.ok(rl.t >= 1 && rl.t <= rl.w, res.describe());
  assert.equal(res.header("Retry-After"), String(rl.t), "Retry-After is the wait the RateLimit header gives");
  return rl;
}

// Sets a user's tier with `wharf admin user tier`, or straight in the database while that
// command does not exist.
async function setTier(dataDir, name, tier) {
  try {
    await wharfAdmin(dataDir, "user", "tier", name, tier);
  } catch {
    await new Promise((resolve, reject) =>
      execFile("sqlite3", [join(dataDir, "wharf.db"), `UPDATE users SET tier='${tier}' WHERE name='${name}'`],
               (err) => (err ? reject(err) : resolve())));
  }
}

describe("rate limits with tiny quotas", () => {
  let server;
  let alice;
  before(async () => {
    server = await startWharf({ args: [
      "--rate-limit-anonymous-api", "3", "--rate-limit-anonymous-resolvers", "5", "--rate-limit-anonymous-pages", "2",
      "--rate-limit-free-api", "4", "--rate-limit-pro-api", "8", "--rate-limit-window", "300"] });
    await createRepo(server, "m");
    await commit(server, "m", "init", [fileOp("README.md", "# hello\n")]);
    await wharfAdmin(server.dataDir, "user", "create", "alice");
    alice = await wharfAdmin(server.dataDir, "token", "create", "--user", "alice", "--role", "write");
  });
  after(() => server?.stop());

  test("the operator is not limited and gets no RateLimit headers", async () => {
    for (let i = 0; i < 10; i++) {
      const res = await curl(`${server.url}/api/models/admin/m`, { headers: bearer(server.token) });
      assert.equal(res.status, 200);
      assert.equal(res.header("RateLimit"), undefined);
    }
  });

  test("anonymous API calls count down; the 4th is 429 with the headers and Retry-After", async () => {
    const seen = [];
    for (let i = 0; i < 3; i++) {
      const res = await curl(`${server.url}/api/models/admin/m`);
      assert.equal(res.status, 200, res.describe());
      seen.push(rateLimit(res));
    }
    assert.deepEqual(seen.map((s) => s.r), [2, 1, 0]);
    for (const s of seen) assert.deepEqual([s.bucket, s.q, s.w], ["api", 3, 300]);
    assert.ok(seen[0].t >= 99 && seen[0].t <= 100, `t=${seen[0].t}: one token back every 100 s`);
    assert.ok(seen[1].t > seen[0].t, "more tokens missing, longer until full");

    const refused = await curl(`${server.url}/api/models/admin/m`, { headers: { Origin: "https://example.com" } });
    const rl = assertTooMany(refused, "api");
    assert.deepEqual([rl.q, rl.w], [3, 300]);
    assert.ok(rl.t <= 100, "a 429 says when the next request is allowed, not when the bucket is full");
    assert.equal(refused.header("Access-Control-Allow-Origin"), "https://example.com");
    const exposed = refused.header("Access-Control-Expose-Headers");
    for (const h of ["RateLimit", "RateLimit-Policy", "Retry-After"]) assert.ok(exposed.includes(h), exposed);
    // HEAD carries it in the headers alone.
    const head = await curl(`${server.url}/api/models/admin/m`, { method: "HEAD" });
    assert.equal(head.status, 429);
    assert.equal(rateLimit(head).r, 0);
  });

  test("preflights are never charged", async () => {
    for (let i = 0; i < 5; i++) {
      const res = await curl(`${server.url}/api/models/admin/m`, {
        method: "OPTIONS", headers: { Origin: "https://example.com", "Access-Control-Request-Method": "GET" } });
      assert.equal(res.status, 204, res.describe());
      assert.equal(res.header("RateLimit"), undefined);
    }
  });

  test("resolves have their own bucket", async () => {
    // The anonymous API bucket is empty by now; downloads still go.
    const a = await curl(`${server.url}/admin/m/resolve/main/README.md`);
    assert.equal(a.status, 200, a.describe());
    assert.equal(a.text, "# hello\n");
    const rl = rateLimit(a);
    assert.deepEqual([rl.bucket, rl.r, rl.q], ["resolvers", 4, 5]);
    const raw = await curl(`${server.url}/admin/m/raw/main/README.md`, { method: "HEAD" });
    assert.deepEqual([rateLimit(raw).bucket, rateLimit(raw).r], ["resolvers", 3]);
  });

  test("LFS object transfers count as resolvers, the batch call as API", async () => {
    const content = Buffer.from("lfs content ".repeat(100));
    const obj = await lfsBatch(server, "m", sha256(content), content.length);  // the operator: unlimited
    const put = await curl(obj.actions.upload.href, { method: "PUT", body: content });  // anonymous, signed URL
    assert.equal(put.status, 200, put.describe());
    assert.deepEqual([rateLimit(put).bucket, rateLimit(put).r], ["resolvers", 2]);
    const batch = await curl(`${server.url}/admin/m.git/info/lfs/objects/batch`, {
      method: "POST", headers: { "Content-Type": "application/vnd.git-lfs+json" },
      body: JSON.stringify({ operation: "download", objects: [{ oid: sha256(content), size: content.length }] }) });
    assertTooMany(batch, "api");  // anonymous API bucket still empty
  });

  test("pages have their own bucket; static assets are not counted", async () => {
    const one = await curl(`${server.url}/admin/m`);
    assert.deepEqual([rateLimit(one).bucket, rateLimit(one).r, rateLimit(one).q], ["pages", 1, 2]);
    await curl(`${server.url}/admin`);
    assertTooMany(await curl(`${server.url}/`), "pages");
    const asset = await curl(`${server.url}/static/style.css`);
    assert.equal(asset.header("RateLimit"), undefined, asset.describe());
  });

  test("an authenticated free user has a bucket of their own", async () => {
    const seen = [];
    for (let i = 0; i < 4; i++) {
      const res = await curl(`${server.url}/api/whoami-v2`, { headers: bearer(alice) });
      assert.equal(res.status, 200, res.describe());
      assert.equal(res.json().name, "alice");
      seen.push(rateLimit(res));
    }
    assert.deepEqual(seen.map((s) => [s.bucket, s.r, s.q]), [["api", 3, 4], ["api", 2, 4], ["api", 1, 4], ["api", 0, 4]]);
    assertTooMany(await curl(`${server.url}/api/whoami-v2`, { headers: bearer(alice) }), "api");
  });

  test("the operator raising a user's tier raises their limit at once", async () => {
    await setTier(server.dataDir, "alice", "pro");
    const res = await curl(`${server.url}/api/whoami-v2`, { headers: bearer(alice) });
    assert.equal(res.status, 200, res.describe());
    const rl = rateLimit(res);
    assert.deepEqual([rl.bucket, rl.r, rl.q], ["api", 7, 8]);
  });
});

describe("throttle on invalid credentials", () => {
  let server;
  let alice;
  before(async () => {
    server = await startWharf({ args: ["--rate-limit-auth-failures", "3"] });
    await wharfAdmin(server.dataDir, "user", "create", "alice");
    alice = await wharfAdmin(server.dataDir, "token", "create", "--user", "alice", "--role", "read");
  });
  after(() => server?.stop());

  const guess = (i) => ({ Authorization: `Bearer hf_guess${String(i).padStart(30, "0")}` });
  const invalid = (res) => {
    assert.equal(res.status, 401, res.describe());
    assert.equal(res.header("X-Error-Message"), "Invalid credentials in Authorization header");
  };

  test("one bad token retried is answered 401 every time", async () => {
    for (let i = 0; i < 8; i++) invalid(await curl(`${server.url}/api/whoami-v2`, { headers: guess(0) }));
    const ok = await curl(`${server.url}/api/whoami-v2`, { headers: bearer(alice) });
    assert.equal(ok.status, 200, ok.describe());
  });

  test("past 3 distinct invalid tokens, credentials from that address get 429 before any lookup", async () => {
    invalid(await curl(`${server.url}/api/whoami-v2`, { headers: guess(1) }));
    invalid(await curl(`${server.url}/api/whoami-v2`, { headers: guess(2) }));  // the 3rd distinct (with guess 0)
    const blocked = await curl(`${server.url}/api/whoami-v2`, { headers: guess(3) });
    const rl = assertTooMany(blocked, "auth");
    assert.equal(rl.q, 3);
    assert.ok(rl.t <= 100);
    // A valid token from the same address waits too: the guesser cannot tell which is which.
    assertTooMany(await curl(`${server.url}/api/whoami-v2`, { headers: bearer(alice) }), "auth");
    // Git's Basic credentials as well.
    const basic = "Basic " + Buffer.from(`alice:${alice}`).toString("base64");
    assertTooMany(await curl(`${server.url}/admin/x.git/info/refs?service=git-upload-pack`,
                             { headers: { Authorization: basic } }), "auth");
    // Requests without credentials are not affected.
    const anon = await curl(`${server.url}/api/whoami-v2`);
    assert.equal(anon.status, 401, anon.describe());
    assert.equal(rateLimit(anon).bucket, "api");
  });

  test("each distinct invalid credential is in the audit log once, without the secret", async () => {
    const log = await wharfAdmin(server.dataDir, "audit", "--limit", "100");
    const lines = log.split("\n").filter((l) => l.includes("auth.token_invalid"));
    assert.equal(lines.length, 3, log);  // guesses 0, 1 and 2; the retries and the blocked ones are not
    assert.ok(lines.every((l) => l.includes("127.0.0.1")), log);
    assert.ok(!log.includes("hf_guess"), "a guessed secret is in the audit log");
  });
});
