// Pull requests through the official JS client (@huggingface/hub): `commit` and `uploadFiles`
// with isPullRequest (create_pr=1 on preupload and commit, LFS objects uploaded by a user who
// cannot write to the repo), then commits to the PR's ref as a branch, read back with
// listFiles and downloadFile at refs/pr/<n>; main moves only when the owner merges.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as hub from "@huggingface/hub";

import { startWharf, wharfAdmin } from "../lib/wharf.mjs";
import { downloadBytes, isApiError } from "../lib/js_client.mjs";
import { patternBytes, collect } from "../lib/content.mjs";

let server;
const creds = {};  // user -> { hubUrl, accessToken }
const REPO = "alice/shared";

before(async () => {
  server = await startWharf();
  for (const name of ["alice", "bob"]) {
    await wharfAdmin(server.dataDir, "user", "create", name);
    const token = await wharfAdmin(server.dataDir, "token", "create", "--user", name, "--role", "write");
    creds[name] = { hubUrl: server.url, accessToken: token };
  }
  await hub.createRepo({ ...creds.alice, repo: REPO });
  await hub.uploadFile({ ...creds.alice, repo: REPO, file: { path: "README.md", content: new Blob(["# Shared\n"]) } });
});

after(async () => {
  await server?.stop();
});

test("CommitWithIsPullRequestOpensAPullRequest", async () => {
  const mainBefore = (await hub.modelInfo({ ...creds.bob, name: REPO, additionalFields: ["sha"] })).sha;
  const weights = patternBytes(300 * 1024, 3);
  // bob may not write to main...
  await assert.rejects(hub.uploadFile({ ...creds.bob, repo: REPO, file: { path: "x.txt", content: new Blob(["x"]) } }),
                       isApiError(403));
  // ...but proposes, with a small file and an LFS one.
  const out = await hub.commit({
    ...creds.bob,
    repo: REPO,
    title: "Add weights",
    description: "Trained for one more epoch.",
    isPullRequest: true,
    useXet: false,
    operations: [
      { operation: "addOrUpdate", path: "notes.txt", content: new Blob(["notes\n"]) },
      { operation: "addOrUpdate", path: "model.safetensors", content: new Blob([weights]) },
    ],
  });
  assert.equal(out.pullRequestUrl, `${server.url}/${REPO}/discussions/1`);
  assert.match(out.commit.oid, /^[0-9a-f]{40}$/);
  const mainNow = (await hub.modelInfo({ ...creds.bob, name: REPO, additionalFields: ["sha"] })).sha;
  assert.equal(mainNow, mainBefore, "main does not move");

  // The PR's ref is a revision like any other.
  const files = await collect(hub.listFiles({ ...creds.bob, repo: REPO, revision: "refs/pr/1" }));
  const byPath = Object.fromEntries(files.map((f) => [f.path, f]));
  assert.ok(byPath["notes.txt"]);
  assert.equal(byPath["model.safetensors"].lfs?.size, weights.length);
  assert.deepEqual(await downloadBytes(creds.bob, { repo: REPO, path: "model.safetensors", revision: "refs/pr/1" }),
                   Buffer.from(weights));

  // A second commit to the PR's ref, as a branch.
  await hub.uploadFile({ ...creds.bob, repo: REPO, branch: "refs/pr/1", commitTitle: "More notes",
                         file: { path: "notes.txt", content: new Blob(["more notes\n"]) } });
  assert.equal((await downloadBytes(creds.bob, { repo: REPO, path: "notes.txt", revision: "refs/pr/1" })).toString(),
               "more notes\n");
  const details = await (await fetch(`${server.url}/api/models/${REPO}/discussions/1`)).json();
  assert.equal(details.title, "Add weights");
  assert.equal(details.events[0].data.latest.raw, "Trained for one more epoch.");
  assert.deepEqual(details.events.filter((e) => e.type === "commit").map((e) => e.data.subject), ["Add weights", "More notes"]);

  // The owner merges; main now has both files.
  const merge = await fetch(`${server.url}/api/models/${REPO}/discussions/1/merge`, {
    method: "POST", headers: { Authorization: `Bearer ${creds.alice.accessToken}` },
  });
  assert.equal(merge.status, 200, await merge.text());
  assert.deepEqual(await downloadBytes(creds.alice, { repo: REPO, path: "model.safetensors" }), Buffer.from(weights));
  assert.equal((await downloadBytes(creds.alice, { repo: REPO, path: "notes.txt" })).toString(), "more notes\n");
});

test("UploadFilesWithIsPullRequestOpensOnePerCall", async () => {
  const a = await hub.uploadFiles({ ...creds.bob, repo: REPO, isPullRequest: true, commitTitle: "First proposal",
                                    files: [{ path: "a.txt", content: new Blob(["a"]) }] });
  const b = await hub.uploadFiles({ ...creds.bob, repo: REPO, isPullRequest: true, commitTitle: "Second proposal",
                                    files: [{ path: "b.txt", content: new Blob(["b"]) }] });
  assert.notEqual(a.pullRequestUrl, b.pullRequestUrl);
  const list = await (await fetch(`${server.url}/api/models/${REPO}/discussions?type=pull_request&status=open`)).json();
  assert.deepEqual(list.discussions.map((d) => d.title), ["Second proposal", "First proposal"]);
});
