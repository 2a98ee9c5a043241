// The web UI's forms at the HTTP level, checked through the API: the new-repo form, the
// settings (visibility, gating, rename, delete), CSRF refusals that change nothing, the
// browser upload (several files, one through LFS, one commit), the text editor (and its stale
// edits), and a gated repo's request, review and acceptance.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";

import { startWharf } from "../lib/wharf.mjs";
import { bearer } from "../lib/curl.mjs";
import { Browser, csrfOf } from "../lib/web_session.mjs";

let server, alice, bob;

before(async () => {
  server = await startWharf({ args: ["--web-upload-max-bytes", String(32 << 20)] });
  alice = new Browser(server);
  bob = new Browser(server);
  assert.equal((await alice.signUp("alice")).status, 303);
  assert.equal((await bob.signUp("bob")).status, 303);
});

after(async () => server?.stop());

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

// The API as the operator sees it (the server's admin token), or anonymously.
async function api(path, { token = server.token } = {}) {
  const res = await fetch(server.url + path, { headers: token ? bearer(token) : {} });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, json, text };
}

// A multipart/form-data body as a browser sends it: fields, then files {name, filename, bytes}.
function multipart(fields, files = [], { fieldsLast = false } = {}) {
  const boundary = "----wharfTest" + randomBytes(8).toString("hex");
  const chunks = [];
  const addFields = () => {
    for (const [name, value] of Object.entries(fields))
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  };
  if (!fieldsLast) addFields();
  for (const f of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name ?? "files"}"; filename="${f.filename}"\r\n` +
                            "Content-Type: application/octet-stream\r\n\r\n"));
    chunks.push(Buffer.from(f.bytes), Buffer.from("\r\n"));
  }
  if (fieldsLast) addFields();
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

function postMultipart(browser, path, fields, files) {
  const { body, type } = multipart(fields, files);
  return browser.request("POST", path, { body, headers: { "Content-Type": type } });
}

const fieldOf = (html, name) => html.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1];

async function createRepo(browser, fields, page = "/new") {
  return browser.submit(page, { owner: "alice", visibility: "public", ...fields });
}

async function head(repo, type = "models") {
  const res = await api(`/api/${type}/${repo}/revision/main`);
  assert.equal(res.status, 200, res.text);
  return res.json.sha;
}

test("NewRepoFormCreatesReposAndRefusesTakenOrInvalidNames", async () => {
  const anonymous = await new Browser(server).get("/new");
  assert.equal(anonymous.status, 303);
  assert.equal(anonymous.headers.get("location"), "/login?next=/new");

  const form = await alice.get("/new");
  assert.equal(form.status, 200);
  assert.match(form.html, /<option value="alice" selected>alice<\/option>/);

  const created = await createRepo(alice, { name: "first", license: "mit" });
  assert.equal(created.status, 303, created.html);
  assert.equal(created.headers.get("location"), "/alice/first");
  const info = await api("/api/models/alice/first", { token: null });
  assert.equal(info.status, 200, info.text);
  assert.equal(info.json.cardData?.license, "mit");

  const taken = await createRepo(alice, { name: "first" });
  assert.equal(taken.status, 409);
  assert.match(taken.html, /The model alice&#x2F;first already exists/);
  assert.match(taken.html, /value="first"/, "the form keeps what was typed");

  const invalid = await createRepo(alice, { name: "bad--name" });
  assert.equal(invalid.status, 400);
  assert.match(invalid.html, /Invalid repo name/);

  const dataset = await createRepo(alice, { name: "hidden", visibility: "private" }, "/new-dataset");
  assert.equal(dataset.status, 303, dataset.html);
  assert.equal(dataset.headers.get("location"), "/datasets/alice/hidden");
  assert.equal((await api("/api/datasets/alice/hidden", { token: null })).status, 401);
  assert.equal((await api("/api/datasets/alice/hidden")).json.private, true);

  const noSdk = await createRepo(alice, { name: "app" }, "/new-space");
  assert.equal(noSdk.status, 400);
  const space = await createRepo(alice, { name: "app", sdk: "gradio" }, "/new-space");
  assert.equal(space.status, 303, space.html);
  assert.equal((await api("/api/spaces/alice/app")).json.sdk, "gradio");

  // Someone else's namespace is not offered and not accepted.
  const foreign = await bob.submit("/new", { owner: "alice", name: "intruder", visibility: "public" });
  assert.equal(foreign.status, 403);
  assert.equal((await api("/api/models/alice/intruder")).status, 404);
});

test("SettingsChangeVisibilityGatingNameAndDeleteTheRepo", async () => {
  assert.equal((await createRepo(alice, { name: "tuned" })).status, 303);
  const settings = "/alice/tuned/settings";

  const priv = await alice.submit(settings, { action: "visibility", visibility: "private" });
  assert.equal(priv.status, 303, priv.html);
  assert.equal(priv.headers.get("location"), `${settings}?saved=visibility`);
  assert.equal((await api("/api/models/alice/tuned", { token: null })).status, 401);
  assert.match((await alice.get(`${settings}?saved=visibility`)).html, /The visibility is changed/);
  assert.equal((await alice.submit(settings, { action: "visibility", visibility: "public" })).status, 303);
  assert.equal((await api("/api/models/alice/tuned", { token: null })).status, 200);

  const gated = await alice.submit(settings, { action: "gating", gated: "manual" });
  assert.equal(gated.status, 303, gated.html);
  assert.equal((await api("/api/models/alice/tuned")).json.gated, "manual");
  assert.equal((await alice.submit(settings, { action: "gating", gated: "sometimes" })).status, 400);
  assert.equal((await alice.submit(settings, { action: "gating", gated: "off" })).status, 303);
  assert.equal((await api("/api/models/alice/tuned")).json.gated, false);

  const moved = await alice.submit(settings, { action: "move", owner: "alice", name: "renamed" });
  assert.equal(moved.status, 303, moved.html);
  assert.equal(moved.headers.get("location"), "/alice/renamed/settings?saved=moved");
  assert.equal((await api("/api/models/alice/renamed")).status, 200);
  const old = await alice.get("/alice/tuned");
  assert.equal(old.status, 303);
  assert.equal(old.headers.get("location"), "/alice/renamed");

  const wrong = await alice.submit("/alice/renamed/settings", { action: "delete", confirm: "alice/tuned" });
  assert.equal(wrong.status, 400);
  assert.match(wrong.html, /type its full name/);
  assert.equal((await api("/api/models/alice/renamed")).status, 200);
  const deleted = await alice.submit("/alice/renamed/settings", { action: "delete", confirm: "alice/renamed" });
  assert.equal(deleted.status, 303, deleted.html);
  assert.equal(deleted.headers.get("location"), "/alice");
  assert.equal((await api("/api/models/alice/renamed")).status, 404);
});

test("FormsWithoutTheSessionsCsrfTokenAreRefusedAndChangeNothing", async () => {
  assert.equal((await createRepo(alice, { name: "guarded" })).status, 303);
  const before = await head("alice/guarded");
  for (const csrf of [undefined, "0".repeat(64)]) {
    const fields = { action: "visibility", visibility: "private", ...(csrf ? { csrf } : {}) };
    const res = await alice.post("/alice/guarded/settings", fields);
    assert.equal(res.status, 403, res.html);
    const up = await postMultipart(alice, "/alice/guarded/upload/main", csrf ? { csrf } : {},
                                   [{ filename: "x.txt", bytes: "x" }]);
    assert.equal(up.status, 403, up.html);
    const edit = await postMultipart(alice, "/alice/guarded/edit/main/README.md", { ...(csrf ? { csrf } : {}), content: "x" });
    assert.equal(edit.status, 403, edit.html);
  }
  // A token sent after the file part is too late: the file never reaches the disk.
  const page = await alice.get("/alice/guarded/upload/main");
  const late = multipart({ csrf: csrfOf(page.html) }, [{ filename: "x.txt", bytes: "x" }], { fieldsLast: true });
  const tokenLast = await alice.request("POST", "/alice/guarded/upload/main", { body: late.body, headers: { "Content-Type": late.type } });
  assert.equal(tokenLast.status, 403, tokenLast.html);
  // A cross-site post is refused even with the right token.
  const cross = await alice.post("/alice/guarded/settings", { csrf: csrfOf(page.html), action: "visibility", visibility: "private" },
                                 { Origin: "http://evil.example" });
  assert.equal(cross.status, 403);
  const info = await api("/api/models/alice/guarded");
  assert.equal(info.json.private, false);
  assert.equal(await head("alice/guarded"), before);
});

test("OnlyAdminsUseTheSettingsAndOnlyWritersUpload", async () => {
  assert.equal((await createRepo(alice, { name: "mine" })).status, 303);
  const before = await head("alice/mine");
  const page = await bob.get("/alice/mine/settings");
  assert.equal(page.status, 403);
  const token = csrfOf((await bob.get("/alice/mine")).html);
  const post = await bob.post("/alice/mine/settings", { csrf: token, action: "visibility", visibility: "private" });
  assert.equal(post.status, 403);
  const del = await bob.post("/alice/mine/settings", { csrf: token, action: "delete", confirm: "alice/mine" });
  assert.equal(del.status, 403);
  assert.equal((await bob.get("/alice/mine/upload/main")).status, 403);
  const up = await postMultipart(bob, "/alice/mine/upload/main", { csrf: token }, [{ filename: "x.txt", bytes: "x" }]);
  assert.equal(up.status, 403);
  assert.equal((await bob.get("/alice/mine/edit/main/README.md")).status, 403);
  assert.equal((await api("/api/models/alice/mine")).json.private, false);
  assert.equal(await head("alice/mine"), before);
});

test("UploadOfSeveralFilesMakesOneCommitWithTheLargeOneInLfs", async () => {
  assert.equal((await createRepo(alice, { name: "weights" })).status, 303);
  const form = await alice.get("/alice/weights/upload/main");
  assert.equal(form.status, 200);
  assert.match(form.html, /enctype="multipart\/form-data"/);
  const big = randomBytes(11 << 20);
  const files = [
    { filename: "config.json", bytes: '{"hidden_size": 8}\n' },
    { filename: "notes \"v1\".txt", bytes: "first notes\n" },
    { filename: "model.bin", bytes: big },
  ];
  const res = await postMultipart(alice, "/alice/weights/upload/main",
                                  { csrf: csrfOf(form.html), parent: fieldOf(form.html, "parent"), directory: "/ckpt/",
                                    summary: "Add a checkpoint", description: "" },
                                  files.map((f) => ({ ...f, filename: f.filename.replace(/"/g, "%22") })));
  assert.equal(res.status, 303, res.html);
  assert.equal(res.headers.get("location"), "/alice/weights/tree/main/ckpt");

  const commits = await api("/api/models/alice/weights/commits/main");
  assert.equal(commits.json.length, 2, "the initial commit and one upload commit");
  assert.equal(commits.json[0].title, "Add a checkpoint");
  const tree = await api("/api/models/alice/weights/tree/main/ckpt");
  const byPath = Object.fromEntries(tree.json.map((e) => [e.path, e]));
  assert.deepEqual(Object.keys(byPath).sort(), ["ckpt/config.json", "ckpt/model.bin", 'ckpt/notes "v1".txt']);
  assert.equal(byPath["ckpt/config.json"].lfs, undefined);
  assert.equal(byPath["ckpt/model.bin"].lfs.oid, sha256(big));
  assert.equal(byPath["ckpt/model.bin"].size, big.length);

  const lfs = await fetch(`${server.url}/alice/weights/resolve/main/ckpt/model.bin`);
  assert.equal(lfs.status, 200);
  assert.equal(sha256(Buffer.from(await lfs.arrayBuffer())), sha256(big));
  const text = await fetch(`${server.url}/alice/weights/resolve/main/ckpt/${encodeURIComponent('notes "v1".txt')}`);
  assert.equal(await text.text(), "first notes\n");

  // A stale form (the branch moved since) and an over-large body change nothing.
  const stale = await postMultipart(alice, "/alice/weights/upload/main",
                                    { csrf: csrfOf(form.html), parent: fieldOf(form.html, "parent") },
                                    [{ filename: "late.txt", bytes: "late" }]);
  assert.equal(stale.status, 409, stale.html);
  assert.match(stale.html, /moved since this form was shown/);
  const tooBig = await postMultipart(alice, "/alice/weights/upload/main", { csrf: csrfOf(form.html) },
                                     [{ filename: "huge.bin", bytes: Buffer.alloc((32 << 20) + 1) }]);
  assert.equal(tooBig.status, 413);
  const none = await postMultipart(alice, "/alice/weights/upload/main", { csrf: csrfOf(form.html) }, []);
  assert.equal(none.status, 400);
  assert.match(none.html, /Choose at least one file/);
  const many = await postMultipart(alice, "/alice/weights/upload/main", { csrf: csrfOf(form.html) },
                                   Array.from({ length: 201 }, (_, i) => ({ filename: `f${i}.txt`, bytes: "x" })));
  assert.equal(many.status, 400);
  assert.match(many.html, /At most 200 files per upload/);
  assert.equal((await api("/api/models/alice/weights/commits/main")).json.length, 2);

  // A tag is no place to commit: the form is refused before it is filled in.
  const tag = await fetch(`${server.url}/api/models/alice/weights/tag/main`, {
    method: "POST", headers: { ...bearer(server.token), "Content-Type": "application/json" }, body: JSON.stringify({ tag: "v1" }),
  });
  assert.equal(tag.status, 200, await tag.text());
  const onTag = await alice.get("/alice/weights/upload/v1");
  assert.equal(onTag.status, 400);
  assert.match(onTag.html, /Commits go to a branch, and v1 is not one/);
  assert.equal((await alice.get("/alice/weights/edit/v1/README.md")).status, 400);
});

test("EditingTheReadmeCommitsAndChangesTheCardAndStaleEditsAreRefused", async () => {
  assert.equal((await createRepo(alice, { name: "carded" })).status, 303);
  const form = await alice.get("/alice/carded/edit/main/README.md");
  assert.equal(form.status, 200, form.html);
  assert.match(form.html, /New file/);
  const parent = fieldOf(form.html, "parent");
  const saved = await postMultipart(alice, "/alice/carded/edit/main/README.md", {
    csrf: csrfOf(form.html), parent, summary: "Write the card",
    content: "---\r\nlicense: apache-2.0\r\n---\r\n# Carded\r\nA model.\r\n",
  });
  assert.equal(saved.status, 303, saved.html);
  assert.equal(saved.headers.get("location"), "/alice/carded");
  const info = await api("/api/models/alice/carded");
  assert.equal(info.json.cardData.license, "apache-2.0");
  const readme = await fetch(`${server.url}/alice/carded/resolve/main/README.md`);
  assert.equal(await readme.text(), "---\nlicense: apache-2.0\n---\n# Carded\nA model.\n", "a browser's CRLF become LF");
  assert.match((await alice.get("/alice/carded")).html, /<h[12][^>]*>Carded<\/h[12]>/);

  const reopened = await alice.get("/alice/carded/edit/main/README.md");
  assert.match(reopened.html, /# Carded\nA model\./);
  const headNow = await head("alice/carded");
  const stale = await postMultipart(alice, "/alice/carded/edit/main/README.md", {
    csrf: csrfOf(form.html), parent, content: "my stale text",
  });
  assert.equal(stale.status, 409, stale.html);
  assert.match(stale.html, /moved since this form was shown/);
  assert.match(stale.html, /my stale text/, "the text is kept");
  assert.equal(fieldOf(stale.html, "parent"), headNow, "sending again replaces the new version knowingly");
  assert.equal(await head("alice/carded"), headNow);

  // LFS files are not edited as text.
  const big = randomBytes((10 << 20) + 1);
  const up = await alice.get("/alice/carded/upload/main");
  const res = await postMultipart(alice, "/alice/carded/upload/main", { csrf: csrfOf(up.html) },
                                  [{ filename: "blob.bin", bytes: big }]);
  assert.equal(res.status, 303, res.html);
  const lfsEdit = await alice.get("/alice/carded/edit/main/blob.bin");
  assert.equal(lfsEdit.status, 400);
  assert.match(lfsEdit.html, /stored with Git LFS/);
});

test("GatedRepoRequestIsPendingUntilTheOwnerAcceptsThenFilesResolve", async () => {
  assert.equal((await createRepo(alice, { name: "gated" })).status, 303);
  const edit = await alice.get("/alice/gated/edit/main/README.md");
  const card = "---\nextra_gated_fields:\n  Company: text\n  I agree to the terms: checkbox\n---\n# Gated\n";
  assert.equal((await postMultipart(alice, "/alice/gated/edit/main/README.md",
                                    { csrf: csrfOf(edit.html), parent: fieldOf(edit.html, "parent"), content: card })).status, 303);
  assert.equal((await alice.submit("/alice/gated/settings", { action: "gating", gated: "manual" })).status, 303);

  const anonymous = await new Browser(server).get("/alice/gated/request-access");
  assert.equal(anonymous.status, 303);
  assert.equal(anonymous.headers.get("location"), "/login?next=/alice/gated/request-access");

  assert.equal((await bob.get("/alice/gated/resolve/main/README.md")).status, 403);
  const form = await bob.get("/alice/gated/request-access");
  assert.equal(form.status, 200);
  assert.match(form.html, /Company <input name="answer-0"/);
  assert.match(form.html, /type="checkbox" name="answer-1"/);
  const missing = await bob.post("/alice/gated/request-access", { csrf: csrfOf(form.html), "answer-0": "Acme" });
  assert.equal(missing.status, 400);
  assert.match(missing.html, /You must check/);
  const asked = await bob.post("/alice/gated/request-access", { csrf: csrfOf(form.html), "answer-0": "Acme", "answer-1": "true" });
  assert.equal(asked.status, 303, asked.html);
  assert.match((await bob.get("/alice/gated/request-access")).html, /Your request is pending/);
  assert.equal((await bob.get("/alice/gated/resolve/main/README.md")).status, 403);

  const review = await alice.get("/alice/gated/access-requests");
  assert.equal(review.status, 200);
  assert.match(review.html, /<a href="&#x2F;bob">bob<\/a>/);
  assert.match(review.html, /<strong>Company<\/strong>: Acme/);
  assert.equal((await bob.get("/alice/gated/access-requests")).status, 403);
  const accepted = await alice.post("/alice/gated/access-requests",
                                    { csrf: csrfOf(review.html), action: "handle", user: "bob", status: "accepted", tab: "pending" });
  assert.equal(accepted.status, 303, accepted.html);
  assert.equal(accepted.headers.get("location"), "/alice/gated/access-requests?status=pending");
  assert.match((await alice.get("/alice/gated/access-requests?status=accepted")).html, /<a href="&#x2F;bob">bob<\/a>/);
  assert.match((await bob.get("/alice/gated/request-access")).html, /Your request was accepted/);
  const file = await bob.get("/alice/gated/resolve/main/README.md");
  assert.equal(file.status, 200);
  assert.equal(file.html, card);

  // Back to pending closes the files again; a grant opens them without a request.
  assert.equal((await alice.post("/alice/gated/access-requests",
                                 { csrf: csrfOf(review.html), action: "handle", user: "bob", status: "pending", tab: "accepted" })).status, 303);
  assert.equal((await bob.get("/alice/gated/resolve/main/README.md")).status, 403);
  const carol = new Browser(server);
  assert.equal((await carol.signUp("carol")).status, 303);
  const granted = await alice.post("/alice/gated/access-requests", { csrf: csrfOf(review.html), action: "grant", user: "carol", tab: "pending" });
  assert.equal(granted.status, 303, granted.html);
  assert.equal((await carol.get("/alice/gated/resolve/main/README.md")).status, 200);
  const unknown = await alice.post("/alice/gated/access-requests", { csrf: csrfOf(review.html), action: "grant", user: "nobody", tab: "pending" });
  assert.equal(unknown.status, 404);
  assert.match(unknown.html, /User not found/);
});
