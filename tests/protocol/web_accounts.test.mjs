// The account pages of the web UI against a real server: sign-up, log-in, cookies, the
// tokens page, password change, log-out; the sign-up policy; CSRF and cross-site posts;
// tampered and replayed cookies; log-in throttling with its audit entries; disabled users.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

import { startWharf, wharfAdmin } from "../lib/wharf.mjs";
import { Browser, csrfOf } from "../lib/web_session.mjs";
import { bearer, curl } from "../lib/curl.mjs";

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function auditRows(dataDir, action) {
  const out = execFileSync("sqlite3", ["-json", join(dataDir, "wharf.db"),
    `SELECT actor, namespace, action, target, detail, ip FROM audit_log WHERE action = '${action}' ORDER BY id`]).toString();
  return out.trim() ? JSON.parse(out) : [];
}

async function signedInSettings(browser) {
  const res = await browser.get("/settings/tokens");
  return res.status === 200;
}

async function withServer(options, fn) {
  const server = await startWharf(options);
  try {
    await fn(server);
  } finally {
    await server.stop();
  }
}

test("SignUpLogInTokensPasswordChangeLogOut", () => withServer({}, async (server) => {
  const alice = new Browser(server);
  const join = await alice.get("/join");
  assert.equal(join.status, 200);
  assert.equal(join.headers.get("content-security-policy"), CSP);
  assert.equal(join.headers.get("x-content-type-options"), "nosniff");
  assert.equal(join.headers.get("referrer-policy"), "same-origin");
  assert.equal(join.headers.get("cache-control"), "no-store");
  assert.match(join.headers.get("content-type"), /^text\/html/);
  assert.match(join.headers.getSetCookie().join("\n"), /^wharf_csrf=[0-9a-f]{64}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/m);

  const signedUp = await alice.post("/join", { csrf: csrfOf(join.html), name: "alice", email: "alice@example.org", password: "alice-password" });
  assert.equal(signedUp.status, 303, signedUp.html);
  assert.equal(signedUp.headers.get("location"), "/settings/tokens");
  const cookie = signedUp.headers.getSetCookie().find((c) => c.startsWith("wharf_session="));
  assert.match(cookie, /^wharf_session=[0-9a-f]{64}; Path=\/; Max-Age=2592000; HttpOnly; SameSite=Lax$/);
  assert.doesNotMatch(cookie, /Secure/, "no Secure flag on a plain-http public URL");
  assert.equal(auditRows(server.dataDir, "user.signup").at(-1).actor, "alice");

  // The tokens page: create, see the secret once, use it, revoke it.
  const tokens = await alice.get("/settings/tokens");
  assert.equal(tokens.status, 200);
  assert.match(tokens.html, /Log out alice/);
  assert.equal(tokens.headers.get("cache-control"), "no-store");
  const created = await alice.post("/settings/tokens", { csrf: csrfOf(tokens.html), name: "laptop", role: "write", expires_days: "30" });
  assert.equal(created.status, 200, created.html);
  const secret = created.html.match(/value="(hf_[A-Za-z0-9]+)"/)?.[1];
  assert.ok(secret, "the new token's secret is shown");
  const whoami = await curl(`${server.url}/api/whoami-v2`, { headers: bearer(secret) });
  assert.equal(whoami.status, 200, whoami.describe());
  assert.equal(whoami.json().name, "alice");
  const listed = await alice.get("/settings/tokens");
  assert.ok(!listed.html.includes(secret), "the secret is shown once only");
  assert.match(listed.html, /<td>laptop<\/td><td>write<\/td>/);
  const id = listed.html.match(/\/settings\/tokens\/(\d+)\/delete/)[1];
  const revoked = await alice.post(`/settings/tokens/${id}/delete`, { csrf: csrfOf(listed.html) });
  assert.equal(revoked.status, 303, revoked.html);
  assert.equal((await curl(`${server.url}/api/whoami-v2`, { headers: bearer(secret) })).status, 401);

  // A second session; the password change keeps this one and ends the other.
  const other = new Browser(server);
  assert.equal((await other.logIn("alice@example.org", "alice-password")).status, 303);
  assert.ok(await signedInSettings(other));
  const changed = await alice.submit("/settings/password", { current: "alice-password", password: "alice-new-password", password2: "alice-new-password" });
  assert.equal(changed.status, 200, changed.html);
  assert.match(changed.html, /password is changed/);
  assert.ok(await signedInSettings(alice), "the session that changed the password stays");
  const ended = await other.get("/settings/tokens");
  assert.equal(ended.status, 303);
  assert.equal(ended.headers.get("location"), "/login?next=%2Fsettings%2Ftokens");
  assert.equal((await new Browser(server).logIn("alice", "alice-password")).status, 401);
  assert.equal((await new Browser(server).logIn("alice", "alice-new-password")).status, 303);
  assert.equal(auditRows(server.dataDir, "user.password_change").length, 1);

  // Log-out ends the session on the server: the old cookie, replayed, is anonymous.
  const stolen = alice.jar.get("wharf_session");
  const page = await alice.get("/settings/tokens");
  const out = await alice.post("/logout", { csrf: csrfOf(page.html) });
  assert.equal(out.status, 303);
  assert.equal(out.headers.get("location"), "/login");
  assert.match(out.headers.getSetCookie().join("\n"), /^wharf_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax$/m);
  const replay = await curl(`${server.url}/settings/tokens`, { headers: { Cookie: `wharf_session=${stolen}` } });
  assert.equal(replay.status, 303);
  assert.match(replay.header("location"), /^\/login/);
}));

test("ClosedSignUpCreatesNoAccount", () => withServer({ args: ["--signup", "closed"] }, async (server) => {
  const b = new Browser(server);
  const page = await b.get("/join");
  assert.equal(page.status, 200);
  assert.match(page.html, /Sign-up is closed/);
  assert.doesNotMatch((await b.get("/login")).html, /No account yet/);
  const res = await b.post("/join", { csrf: b.jar.get("wharf_csrf"), name: "mallory", email: "m@example.org", password: "mallory-password" });
  assert.equal(res.status, 403);
  assert.match(res.html, /Sign-up is closed/);
  assert.doesNotMatch(await wharfAdmin(server.dataDir, "user", "list"), /mallory/);
}));

test("SignUpOnlyWithAllowedEmailDomains", () => withServer({ args: ["--signup-email-domains", "Acme.org, b.com"] }, async (server) => {
  const b = new Browser(server);
  const page = await b.get("/join");
  assert.match(page.html, /Only addresses at: acme.org, b.com/);
  const refused = await b.signUp("eve", "eve-password", "eve@evil.com");
  assert.equal(refused.status, 403);
  assert.match(refused.html, /evil.com is not one/);
  assert.match(refused.html, /value="eve@evil.com"/, "the form is shown again with what was typed");
  assert.doesNotMatch(refused.html, /eve-password/, "but never the password");
  assert.equal((await b.signUp("bob", "bob-password", "bob@ACME.org")).status, 303);
}));

test("UserStringsAreEscaped", () => withServer({}, async (server) => {
  const b = new Browser(server);
  const res = await b.signUp("<script>alert(1)</script>", "password-1", "\"><img src=x>@example.org");
  assert.equal(res.status, 400);
  assert.ok(!res.html.includes("<script>alert"), res.html);
  assert.ok(!res.html.includes("<img src=x>"), res.html);
  assert.match(res.html, /&lt;script&gt;alert\(1\)&lt;&#x2F;script&gt;/);
}));

test("FormsWithoutTheRightCsrfTokenChangeNothing", () => withServer({}, async (server) => {
  const b = new Browser(server);
  assert.equal((await b.signUp("carol", "carol-password")).status, 303);
  const page = await b.get("/settings/password");
  const fields = { current: "carol-password", password: "hijacked-password", password2: "hijacked-password" };
  for (const csrf of [undefined, "", "0".repeat(64), csrfOf(page.html).slice(1) + "0"]) {
    const res = await b.post("/settings/password", csrf === undefined ? fields : { ...fields, csrf });
    assert.equal(res.status, 403, `csrf ${csrf}`);
    assert.match(res.html, /This form was refused/);
  }
  assert.equal((await new Browser(server).logIn("carol", "carol-password")).status, 303, "the password is unchanged");
  assert.ok(await signedInSettings(b));
  const noLogout = await b.post("/logout", {});
  assert.equal(noLogout.status, 403);
  assert.ok(await signedInSettings(b), "still signed in");

  // Before log-in: the field must match the wharf_csrf cookie.
  const anon = new Browser(server);
  await anon.get("/join");
  const signup = { name: "dave", email: "dave@example.org", password: "dave-password" };
  assert.equal((await anon.post("/join", { ...signup, csrf: "f".repeat(64) })).status, 403);
  assert.equal((await curl(`${server.url}/join`, {
    method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...signup, csrf: "f".repeat(64) }).toString(),
  })).status, 403, "no cookie at all");
  assert.doesNotMatch(await wharfAdmin(server.dataDir, "user", "list"), /dave/);
  assert.equal((await anon.post("/login", { login: "carol", password: "carol-password" })).status, 403);
}));

test("CrossSitePostsAreRefused", () => withServer({}, async (server) => {
  await new Browser(server).signUp("frank");
  const b = new Browser(server);
  const page = await b.get("/login");
  const fields = { csrf: csrfOf(page.html), login: "frank", password: "frank-password" };
  for (const headers of [{ Origin: "https://evil.example" }, { Origin: "null" }, { "Sec-Fetch-Site": "cross-site" }]) {
    const res = await b.post("/login", fields, headers);
    assert.equal(res.status, 403, JSON.stringify(headers));
    assert.equal(res.headers.getSetCookie().filter((c) => c.startsWith("wharf_session=")).length, 0);
  }
  assert.equal((await b.post("/login", fields, { Origin: server.url })).status, 303, "the site's own origin passes");
}));

test("NextIsFollowedOnlyWithinTheSite", () => withServer({}, async (server) => {
  await new Browser(server).signUp("gina");
  const inside = await new Browser(server).logIn("gina", "gina-password", "/settings/password");
  assert.equal(inside.headers.get("location"), "/settings/password");
  for (const next of ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"]) {
    const res = await new Browser(server).logIn("gina", "gina-password", next);
    assert.equal(res.headers.get("location"), "/settings/tokens", next);
  }
}));

test("TamperedSessionCookiesAreAnonymous", () => withServer({}, async (server) => {
  const b = new Browser(server);
  await b.signUp("hank");
  const real = b.jar.get("wharf_session");
  const flipped = (real[0] === "a" ? "b" : "a") + real.slice(1);
  for (const value of [flipped, real.slice(0, 63), real + "0", "x".repeat(64), ""]) {
    const res = await curl(`${server.url}/settings/tokens`, { headers: { Cookie: `wharf_session=${value}` } });
    assert.equal(res.status, 303, value);
    assert.match(res.header("location"), /^\/login\?next=/);
  }
}));

test("SixthWrongPasswordIsThrottledAndAudited", () => withServer({}, async (server) => {
  await new Browser(server).signUp("ivy", "ivy-password");
  for (let i = 0; i < 5; i++) {
    const res = await new Browser(server).logIn("ivy", `wrong-guess-${i}`);
    assert.equal(res.status, 401, res.html);
    assert.match(res.html, /Invalid user name, email or password/);
  }
  const sixth = await new Browser(server).logIn("ivy", "ivy-password");
  assert.equal(sixth.status, 429);
  assert.equal(sixth.headers.get("x-error-code"), "TooManyRequests");
  assert.ok(Number(sixth.headers.get("retry-after")) > 0);
  assert.match(sixth.html, /Too many failed log-in attempts/);
  const failures = auditRows(server.dataDir, "auth.login_failed");
  assert.equal(failures.length, 6);
  for (const row of failures) {
    assert.equal(row.actor, "ivy");
    assert.equal(row.ip, "127.0.0.1");
    assert.ok(!row.detail.includes("wrong-guess") && !row.detail.includes("ivy-password"));
  }
  assert.match(failures.at(-1).detail, /throttled/);
}));

test("DisabledUsersCanNeitherLogInNorUseTokens", () => withServer({}, async (server) => {
  const b = new Browser(server);
  await b.signUp("jack", "jack-password");
  const token = await wharfAdmin(server.dataDir, "token", "create", "--user", "jack", "--role", "read");
  assert.equal((await curl(`${server.url}/api/whoami-v2`, { headers: bearer(token) })).status, 200);
  await wharfAdmin(server.dataDir, "user", "disable", "jack");
  assert.equal((await curl(`${server.url}/api/whoami-v2`, { headers: bearer(token) })).status, 401);
  assert.equal((await b.get("/settings/tokens")).status, 303, "the session ended");
  const refused = await new Browser(server).logIn("jack", "jack-password");
  assert.equal(refused.status, 403);
  assert.match(refused.html, /disabled/);
  await wharfAdmin(server.dataDir, "user", "enable", "jack");
  assert.equal((await curl(`${server.url}/api/whoami-v2`, { headers: bearer(token) })).status, 200);
  assert.equal((await new Browser(server).logIn("jack", "jack-password")).status, 303);
}));

test("StylesheetAndUnknownPages", () => withServer({}, async (server) => {
  const css = await curl(`${server.url}/static/wharf.css`);
  assert.equal(css.status, 200);
  assert.match(css.header("content-type"), /^text\/css/);
  assert.equal(css.header("x-content-type-options"), "nosniff");
  assert.match(css.text, /@media/);
  const missing = await curl(`${server.url}/settings/nothing`);
  assert.equal(missing.status, 404);
  assert.equal(missing.header("content-security-policy"), CSP);
  assert.equal((await curl(`${server.url}/logout`)).status, 405);
  assert.equal((await curl(`${server.url}/login`, { method: "POST", body: "x".repeat(70000), headers: { "Content-Type": "application/x-www-form-urlencoded" } })).status, 413);
  // The API keeps its own answers.
  const api = await curl(`${server.url}/api/whoami-v2`, { headers: bearer(server.token) });
  assert.equal(api.status, 200);
  assert.equal(api.header("content-security-policy"), undefined);
}));

test("BehindHttpsCookiesAreSecureAndFineGrainedTokensAreScoped", () => withServer({ args: ["--public-url", "https://hub.example"] }, async (server) => {
  const b = new Browser(server);
  const page = await b.get("/join");
  const res = await b.post("/join", { csrf: csrfOf(page.html), name: "kim", email: "kim@example.org", password: "kim-password" },
    { Origin: "https://hub.example" });
  assert.equal(res.status, 303, res.html);
  assert.match(res.headers.getSetCookie().join("\n"), /^wharf_session=[0-9a-f]{64}; Path=\/; Max-Age=2592000; HttpOnly; SameSite=Lax; Secure$/m);
  const tokens = await b.get("/settings/tokens");
  const created = await b.post("/settings/tokens", {
    csrf: csrfOf(tokens.html), name: "ci", role: "fineGrained", scope: " datasets/kim/data ", permission: "repo.content.read",
  });
  assert.equal(created.status, 200, created.html);
  assert.match(created.html, /<td>ci<\/td><td>fineGrained<\/td><td>dataset kim&#x2F;data: repo.content.read<\/td>/);
  const badExpiry = await b.post("/settings/tokens", { csrf: csrfOf(tokens.html), name: "x", role: "read", expires_days: "-1" });
  assert.equal(badExpiry.status, 400);
  assert.match(badExpiry.html, /number of days/);
}));
