// The access matrix (issue 4): every surface × every kind of caller × public, private and
// gated repos, from one table. Each cell is one real request against a real server; the
// expected outcome is written out per caller, never computed by a copy of the rules.
//
// Repos belong to the organization "acme". Callers:
//   anonymous; outsider (a user of no org); reader, contributor, writer and orgadmin (members
//   of acme with those roles); operator (the server's admin); readtoken (orgadmin's read
//   token); writetoken (orgadmin's write token made through the API); scopedelsewhere
//   (orgadmin's fine-grained token with repo.write on another namespace only); revoked (a
//   token of orgadmin's, revoked).
import { before, after, test } from "node:test";
import assert from "node:assert/strict";

import { startWharf, wharfAdmin } from "../lib/wharf.mjs";
import { fileOp, lfsOp, ndjson, sha256 } from "../lib/hub_ops.mjs";

// Outcomes: ok = 2xx; nf401/nf404 = RepoNotFound; g401/g403 = GatedRepo; 401/403 = refused
// without a code; bad = 401 "Invalid credentials in Authorization header".
// Classes of surface: R metadata read, C content read, P propose (open a pull request, push
// to one's own PR, upload its LFS objects: Access::Discuss), W write, A administer.
// Per caller: [public R C P W A] [private R C P W A] [gated R C P W A].
const TABLE = {
  anonymous:       "ok ok 401 401 401      | nf401 nf401 nf401 nf401 nf401 | ok g401 401 401 401",
  outsider:        "ok ok ok 403 403       | nf404 nf404 nf404 nf404 nf404 | ok g403 ok 403 403",
  reader:          "ok ok ok 403 403       | ok ok ok 403 403              | ok ok ok 403 403",
  contributor:     "ok ok ok 403 403       | ok ok ok 403 403              | ok ok ok 403 403",
  writer:          "ok ok ok ok 403        | ok ok ok ok 403               | ok ok ok ok 403",
  orgadmin:        "ok ok ok ok ok         | ok ok ok ok ok                | ok ok ok ok ok",
  operator:        "ok ok ok ok ok         | ok ok ok ok ok                | ok ok ok ok ok",
  readtoken:       "ok ok 403 403 403      | ok ok 403 403 403             | ok ok 403 403 403",
  writetoken:      "ok ok ok ok ok         | ok ok ok ok ok                | ok ok ok ok ok",
  scopedelsewhere: "ok ok 403 403 403      | nf404 nf404 nf404 nf404 nf404 | ok g403 403 403 403",
  revoked:         "bad bad bad bad bad    | bad bad bad bad bad           | bad bad bad bad bad",
};
const VISIBILITIES = ["public", "private", "gated"];
const CLASSES = ["R", "C", "P", "W", "A"];

const README = "---\nlicense: mit\n---\n# a model\n";
const WEIGHTS = Buffer.from("weights ".repeat(5000));
const WEIGHTS_OID = sha256(WEIGHTS);

// Surfaces: a class and a request builder (repo = "acme/<name>", n = a unique number).
const lfsBatchBody = (operation) =>
  JSON.stringify({ operation, transfers: ["basic"], hash_algo: "sha256", objects: [{ oid: WEIGHTS_OID, size: WEIGHTS.length }] });
const SURFACES = {
  "info":               ["R", (r) => ({ path: `/api/models/${r}` })],
  "info at revision":   ["R", (r) => ({ path: `/api/models/${r}/revision/main` })],
  "tree":               ["R", (r) => ({ path: `/api/models/${r}/tree/main?recursive=true` })],
  "paths-info":         ["R", (r) => ({ path: `/api/models/${r}/paths-info/main`, method: "POST",
                                        type: "application/x-www-form-urlencoded", body: "paths=README.md&expand=true" })],
  "commits":            ["R", (r) => ({ path: `/api/models/${r}/commits/main` })],
  "refs":               ["R", (r) => ({ path: `/api/models/${r}/refs` })],
  "discussions":        ["R", (r) => ({ path: `/api/models/${r}/discussions` })],
  "resolve":            ["C", (r) => ({ path: `/${r}/resolve/main/README.md` })],
  "resolve HEAD":       ["C", (r) => ({ path: `/${r}/resolve/main/README.md`, method: "HEAD" })],
  "raw":                ["C", (r) => ({ path: `/${r}/raw/main/README.md` })],
  "resolve LFS":        ["C", (r) => ({ path: `/${r}/resolve/main/weights.bin` })],
  "LFS batch download": ["C", (r) => ({ path: `/${r}.git/info/lfs/objects/batch`, method: "POST",
                                        type: "application/vnd.git-lfs+json", body: lfsBatchBody("download") })],
  "git upload-pack":    ["C", (r) => ({ path: `/${r}.git/info/refs?service=git-upload-pack`, basic: true })],
  // Pushes need P: the hook then lets only writers move branches and tags.
  "git receive-pack":   ["P", (r) => ({ path: `/${r}.git/info/refs?service=git-receive-pack`, basic: true })],
  "LFS batch upload":   ["P", (r) => ({ path: `/${r}.git/info/lfs/objects/batch`, method: "POST",
                                        type: "application/vnd.git-lfs+json", body: lfsBatchBody("upload") })],
  "open PR":            ["P", (r, n) => ({ path: `/api/models/${r}/commit/main?create_pr=1`, method: "POST", type: "application/x-ndjson",
                                           body: ndjson(`proposal ${n}`, [fileOp(`proposals/${n}.txt`, `p ${n}`)]) })],
  "preupload":          ["W", (r) => ({ path: `/api/models/${r}/preupload/main`, method: "POST", type: "application/json",
                                        body: JSON.stringify({ files: [{ path: "a.txt", size: 1, sample: "YQ==" }] }) })],
  "commit":             ["W", (r, n) => ({ path: `/api/models/${r}/commit/main`, method: "POST", type: "application/x-ndjson",
                                           body: ndjson(`cell ${n}`, [fileOp(`cells/${n}.txt`, `cell ${n}`)]) })],
  "branch create":      ["W", (r, n) => ({ path: `/api/models/${r}/branch/b${n}`, method: "POST", type: "application/json", body: "{}" })],
  "settings":           ["A", (r, n, vis) => ({ path: `/api/models/${r}/settings`, method: "PUT", type: "application/json",
                                                body: JSON.stringify({ private: vis === "private", gated: vis === "gated" ? "manual" : false }) })],
  // Writers review access requests (huggingface_hub: 403 without the write or admin role, or
  // with a read token). Only gated repos have them (others answer 400 "not gated").
  "access requests":    ["W", (r) => ({ path: `/api/models/${r}/user-access-request/pending` }), ["gated"]],
  "delete":             ["A", (r, n, vis, fresh) => ({ path: `/api/repos/delete`, method: "DELETE", type: "application/json",
                                                       body: JSON.stringify({ type: "model", name: fresh }) , fresh: true })],
};

let server;
const tokens = {};  // caller -> token ("" for anonymous)

async function api(method, path, token, body, type = "application/json") {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers["Content-Type"] = type;
  const res = await fetch(`${server.url}${path}`, { method, headers, body, redirect: "manual" });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

async function makeUser(name) {
  await wharfAdmin(server.dataDir, "user", "create", name);
  return wharfAdmin(server.dataDir, "token", "create", "--user", name, "--role", "write");
}

// A repo of acme with a README and an LFS file, at the given visibility.
async function makeRepo(name, vis, token) {
  await api("POST", "/api/repos/create", token, JSON.stringify({ name, organization: "acme", private: vis === "private" }));
  const batch = await api("POST", `/acme/${name}.git/info/lfs/objects/batch`, token, lfsBatchBody("upload"),
                          "application/vnd.git-lfs+json");
  const upload = batch.objects[0].actions?.upload;
  if (upload) {
    const put = await fetch(upload.href, { method: "PUT", body: WEIGHTS, headers: upload.header ?? {} });
    assert.equal(put.status, 200);
  }
  await api("POST", `/api/models/acme/${name}/commit/main`, token,
            ndjson("content", [fileOp("README.md", README), lfsOp("weights.bin", WEIGHTS_OID, WEIGHTS.length)]),
            "application/x-ndjson");
  if (vis === "gated") await api("PUT", `/api/models/acme/${name}/settings`, token, JSON.stringify({ gated: "manual" }));
}

before(async () => {
  server = await startWharf();
  tokens.anonymous = "";
  tokens.operator = server.token;
  for (const name of ["outsider", "reader", "contributor", "writer", "orgadmin"]) tokens[name] = await makeUser(name);
  await api("POST", "/api/organizations/new", tokens.orgadmin, JSON.stringify({ name: "acme", fullname: "Acme" }));
  for (const [user, role] of [["reader", "read"], ["contributor", "contributor"], ["writer", "write"]])
    await api("POST", "/api/organizations/acme/members", tokens.orgadmin, JSON.stringify({ user, role }));
  tokens.readtoken = await wharfAdmin(server.dataDir, "token", "create", "--user", "orgadmin", "--role", "read");
  tokens.writetoken = (await api("POST", "/api/settings/tokens", tokens.orgadmin,
                                 JSON.stringify({ name: "ci", role: "write" }))).token;
  tokens.scopedelsewhere = (await api("POST", "/api/settings/tokens", tokens.orgadmin, JSON.stringify({
    name: "elsewhere", role: "fineGrained",
    scopes: [{ entityType: "namespace", entity: "orgadmin", permissions: ["repo.content.read", "repo.write"] }],
  }))).token;
  const doomed = await api("POST", "/api/settings/tokens", tokens.orgadmin, JSON.stringify({ name: "doomed", role: "write" }));
  await api("DELETE", `/api/settings/tokens/${doomed.id}`, tokens.orgadmin);
  tokens.revoked = doomed.token;
  for (const vis of VISIBILITIES) await makeRepo(vis, vis, tokens.orgadmin);
});
after(() => server.stop());

function outcome(status, headers, body) {
  const code = headers.get("x-error-code") ?? "";
  const message = headers.get("x-error-message") ?? "";
  if (status >= 200 && status < 300) return "ok";
  if (code === "RepoNotFound") return `nf${status}`;
  if (code === "GatedRepo") return `g${status}`;
  if (status === 401 && message === "Invalid credentials in Authorization header") return "bad";
  if ((status === 401 || status === 403) && !code) return `${status}`;
  return `${status}${code ? ` ${code}` : ""}${body ? ` ${body.slice(0, 120)}` : ""}`;
}

let cell = 0;
async function request(caller, surface, vis) {
  const [, build] = SURFACES[surface];
  const n = ++cell;
  let fresh = null;
  if (surface === "delete") {
    fresh = `acme/doomed-${n}`;
    await makeRepo(`doomed-${n}`, vis, tokens.operator);
  }
  const spec = build(`acme/${vis}`, n, vis, fresh);
  const headers = {};
  const token = tokens[caller];
  if (token) {
    headers.Authorization = spec.basic ? `Basic ${Buffer.from(`user:${token}`).toString("base64")}` : `Bearer ${token}`;
  }
  if (spec.type) headers["Content-Type"] = spec.type;
  const res = await fetch(`${server.url}${spec.path}`, { method: spec.method ?? "GET", headers, body: spec.body, redirect: "manual" });
  const body = spec.method === "HEAD" ? "" : await res.text();
  return outcome(res.status, res.headers, body);
}

for (const [caller, row] of Object.entries(TABLE)) {
  const expected = row.split("|").map((part) => part.trim().split(/\s+/));
  test(`access matrix: ${caller}`, async () => {
    const wrong = [];
    for (const [v, vis] of VISIBILITIES.entries()) {
      for (const [surface, [cls, , only]] of Object.entries(SURFACES)) {
        if (only && !only.includes(vis)) continue;
        const want = expected[v][CLASSES.indexOf(cls)];
        const got = await request(caller, surface, vis);
        if (got !== want) wrong.push(`${surface} on ${vis}: expected ${want}, got ${got}`);
      }
    }
    assert.deepEqual(wrong, [], `${caller}:\n  ${wrong.join("\n  ")}`);
  });
}

test("access matrix covers every caller, surface and visibility", () => {
  const perCaller = Object.values(SURFACES).reduce((n, [, , only]) => n + (only ? only.length : VISIBILITIES.length), 0);
  const cells = Object.keys(TABLE).length * perCaller;
  assert.equal(cells, 11 * (21 * 3 + 1));
  console.log(`access matrix: ${Object.keys(TABLE).length} callers × ${Object.keys(SURFACES).length} surfaces ` +
              `(one on gated repos only) × ${VISIBILITIES.length} visibilities = ${cells} cells`);
});

test("a contributor writes to the repos they created in the org, and administers none", async () => {
  const created = await api("POST", "/api/repos/create", tokens.contributor,
                            JSON.stringify({ name: "mine", organization: "acme", private: true }));
  assert.match(created.url, /acme\/mine$/);
  await api("POST", "/api/models/acme/mine/commit/main", tokens.contributor,
            ndjson("mine", [fileOp("a.txt", "a")]), "application/x-ndjson");
  const settings = await fetch(`${server.url}/api/models/acme/mine/settings`, {
    method: "PUT", headers: { Authorization: `Bearer ${tokens.contributor}`, "Content-Type": "application/json" },
    body: JSON.stringify({ private: false }),
  });
  assert.equal(settings.status, 403);
  const reader = await fetch(`${server.url}/api/repos/create`, {
    method: "POST", headers: { Authorization: `Bearer ${tokens.reader}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "nope", organization: "acme" }),
  });
  assert.equal(reader.status, 403, "a read member creates nothing in the org");
});
