// `wharf admin user …`: create (with email and password), list, disable, enable, delete,
// set-password, tier; each checked through the server's answers and the audit log.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { join } from "node:path";

import { WHARF_BIN, startWharf, wharfAdmin } from "../lib/wharf.mjs";
import { bearer, curl } from "../lib/curl.mjs";

// Runs `wharf admin …` with `input` on stdin; resolves to {code, out, err}.
function admin(dataDir, words, input = "") {
  return new Promise((resolve) => {
    const p = spawn(WHARF_BIN, ["admin", ...words, "--data-dir", dataDir], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "", err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("exit", (code) => resolve({ code, out, err }));
    p.stdin.end(input);
  });
}

// The status of a web log-in (303 on success).
async function logIn(server, login, password) {
  const page = await fetch(`${server.url}/login`);
  const cookie = page.headers.getSetCookie()[0].split(";")[0];
  const csrf = [...(await page.text()).matchAll(/name="csrf" value="([^"]*)"/g)].at(-1)[1];
  const res = await fetch(`${server.url}/login`, {
    method: "POST", redirect: "manual",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrf, login, password }).toString(),
  });
  return res.status;
}

// The list as {name: {kind, operator, disabled, tier}}.
async function users(dataDir) {
  const lines = (await wharfAdmin(dataDir, "user", "list")).split("\n");
  assert.match(lines[0], /^NAME\s+KIND\s+OPERATOR\s+DISABLED\s+TIER$/);
  return Object.fromEntries(lines.slice(1).map((l) => {
    const [name, kind, operator, disabled, tier] = l.split(/\s+/);
    return [name, { kind, operator, disabled, tier }];
  }));
}

function operatorActions(dataDir) {
  return execFileSync("sqlite3", [join(dataDir, "wharf.db"),
    "SELECT action || ' ' || target FROM audit_log WHERE actor = 'operator' ORDER BY id"]).toString().trim().split("\n");
}

test("CreateWithEmailAndPasswordThenLogIn", async () => {
  const server = await startWharf();
  try {
    const made = await admin(server.dataDir, ["user", "create", "bob", "--email", "bob@example.org", "--password-stdin"], "bob-password\n");
    assert.equal(made.code, 0, made.err);
    assert.match(made.out, /created user bob/);
    assert.equal(await logIn(server, "bob@example.org", "bob-password"), 303);
    const plain = await admin(server.dataDir, ["user", "create", "carol", "--admin"]);
    assert.equal(plain.code, 0, plain.err);
    assert.match(plain.out, /created user carol \(operator\)/);
    assert.deepEqual((await users(server.dataDir)).carol, { kind: "user", operator: "yes", disabled: "no", tier: "free" });
    const short = await admin(server.dataDir, ["user", "create", "dave", "--password-stdin"], "short\n");
    assert.equal(short.code, 1);
    assert.match(short.err, /at least 8 characters/);
    const taken = await admin(server.dataDir, ["user", "create", "erin", "--email", "BOB@example.org"]);
    assert.equal(taken.code, 1);
    assert.equal((await users(server.dataDir)).dave, undefined);
    assert.equal((await users(server.dataDir)).erin, undefined);
  } finally {
    await server.stop();
  }
});

test("DisableEnableSetPasswordAndTier", async () => {
  const server = await startWharf();
  try {
    await admin(server.dataDir, ["user", "create", "frank", "--password-stdin"], "frank-password\n");
    const token = await wharfAdmin(server.dataDir, "token", "create", "--user", "frank");
    assert.equal((await admin(server.dataDir, ["user", "disable", "frank"])).code, 0);
    assert.equal((await users(server.dataDir)).frank.disabled, "yes");
    assert.equal((await curl(`${server.url}/api/whoami-v2`, { headers: bearer(token) })).status, 401);
    assert.equal(await logIn(server, "frank", "frank-password"), 403);
    assert.equal((await admin(server.dataDir, ["user", "enable", "frank"])).code, 0);
    assert.equal((await curl(`${server.url}/api/whoami-v2`, { headers: bearer(token) })).status, 200);

    const set = await admin(server.dataDir, ["user", "set-password", "frank"], "frank-new-password\r\n");
    assert.equal(set.code, 0, set.err);
    assert.equal(await logIn(server, "frank", "frank-password"), 401);
    assert.equal(await logIn(server, "frank", "frank-new-password"), 303);
    assert.equal((await admin(server.dataDir, ["user", "set-password", "frank"], "")).code, 1, "no password on stdin");
    assert.equal((await admin(server.dataDir, ["user", "set-password", "nobody"], "whatever-password\n")).code, 1);

    assert.equal((await admin(server.dataDir, ["user", "tier", "frank", "pro"])).code, 0);
    assert.equal((await users(server.dataDir)).frank.tier, "pro");
    const gold = await admin(server.dataDir, ["user", "tier", "frank", "gold"]);
    assert.equal(gold.code, 1);
    assert.match(gold.err, /free, pro or enterprise/);
    assert.equal((await users(server.dataDir)).frank.tier, "pro");

    assert.deepEqual(operatorActions(server.dataDir),
      ["user.create frank", "user.disable frank", "user.enable frank", "user.password_set frank", "user.tier frank"]);
  } finally {
    await server.stop();
  }
});

test("DeleteRefusesRepoOwnersAndTheLastOperator", async () => {
  const server = await startWharf();
  try {
    await admin(server.dataDir, ["user", "create", "gina"]);
    await admin(server.dataDir, ["user", "create", "hank"]);
    const token = await wharfAdmin(server.dataDir, "token", "create", "--user", "gina");
    const repo = await curl(`${server.url}/api/repos/create`, {
      method: "POST", headers: { ...bearer(token), "Content-Type": "application/json" }, body: JSON.stringify({ name: "model" }),
    });
    assert.equal(repo.status, 200, repo.describe());
    const owner = await admin(server.dataDir, ["user", "delete", "gina"]);
    assert.equal(owner.code, 1);
    assert.match(owner.err, /still owns repositories/);
    const last = await admin(server.dataDir, ["user", "delete", "admin"]);
    assert.equal(last.code, 1);
    assert.match(last.err, /last operator/);
    const unknown = await admin(server.dataDir, ["user", "delete", "nobody"]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /No such user/);
    assert.equal((await admin(server.dataDir, ["user", "delete", "hank"])).code, 0);
    const list = await users(server.dataDir);
    assert.ok(list.gina && list.admin && !list.hank);
    assert.equal((await admin(server.dataDir, ["user", "frobnicate", "x"])).code, 2);
  } finally {
    await server.stop();
  }
});
