// Repo lifecycle, repo info and identity through @huggingface/hub against a real wharf.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as hub from "@huggingface/hub";
import { startWharf } from "../lib/wharf.mjs";
import { collect } from "../lib/content.mjs";

let server;
let creds;

before(async () => {
  server = await startWharf();
  creds = { hubUrl: server.url, accessToken: server.token };
});

after(async () => {
  await server?.stop();
});

test("WhoAmIReportsUserAndTokenRole", async () => {
  const me = await hub.whoAmI(creds);
  assert.equal(me.type, "user");
  assert.equal(me.name, "admin");
  assert.equal(me.auth.type, "access_token");
  assert.equal(me.auth.accessToken.role, "write");
  assert.ok(me.auth.accessToken.createdAt instanceof Date);
  assert.ok(!Number.isNaN(me.auth.accessToken.createdAt.getTime()));
});

test("WhoAmIRejectsUnknownToken", async () => {
  await assert.rejects(hub.whoAmI({ hubUrl: server.url, accessToken: "hf_notarealtoken0000000000" }),
                       (e) => e instanceof hub.HubApiError && e.statusCode === 401);
});

test("CreateRepoMakesModelWithInitialCommit", async () => {
  const res = await hub.createRepo({ ...creds, repo: "admin/create-model" });
  assert.equal(res.repoUrl, `${server.url}/admin/create-model`);
  const info = await hub.modelInfo({ ...creds, name: "admin/create-model" });
  assert.equal(res.id, info.id);
  const files = await collect(hub.listFiles({ ...creds, repo: "admin/create-model" }));
  assert.deepEqual(files.map((f) => f.path), [".gitattributes"]);
  const commits = await collect(hub.listCommits({ ...creds, repo: "admin/create-model" }));
  assert.equal(commits.length, 1);
  assert.equal(commits[0].title, "initial commit");
  assert.match(commits[0].oid, /^[0-9a-f]{40}$/);
  assert.equal(await hub.repoExists({ ...creds, repo: "admin/create-model" }), true);
});

test("CreateRepoMakesDataset", async () => {
  const repo = { type: "dataset", name: "admin/create-dataset" };
  const res = await hub.createRepo({ ...creds, repo });
  assert.equal(res.repoUrl, `${server.url}/datasets/admin/create-dataset`);
  const info = await hub.datasetInfo({ ...creds, name: "admin/create-dataset" });
  assert.equal(info.name, "admin/create-dataset");
  assert.equal(info.private, false);
  assert.equal(await hub.repoExists({ ...creds, repo }), true);
  // The same name as a model is a different repo.
  assert.equal(await hub.repoExists({ ...creds, repo: "admin/create-dataset" }), false);
});

test("CreateRepoMakesStaticSpace", async () => {
  const repo = { type: "space", name: "admin/create-space" };
  const res = await hub.createRepo({ ...creds, repo, sdk: "static" });
  assert.equal(res.repoUrl, `${server.url}/spaces/admin/create-space`);
  const info = await hub.spaceInfo({ ...creds, name: "admin/create-space" });
  assert.equal(info.name, "admin/create-space");
  assert.equal(info.sdk, "static");
  assert.equal(info.private, false);
});

test("CreateRepoTwiceFailsWith409", async () => {
  await hub.createRepo({ ...creds, repo: "admin/twice" });
  await assert.rejects(hub.createRepo({ ...creds, repo: "admin/twice" }), (e) => {
    assert.ok(e instanceof hub.HubApiError);
    assert.equal(e.statusCode, 409);
    assert.equal(e.data.url, `${server.url}/admin/twice`);
    return true;
  });
  const repo = { type: "dataset", name: "admin/twice-ds" };
  await hub.createRepo({ ...creds, repo });
  await assert.rejects(hub.createRepo({ ...creds, repo }), (e) => e instanceof hub.HubApiError && e.statusCode === 409);
});

test("ModelInfoReportsIdShaPrivateAndLastModified", async () => {
  const before = Date.now();
  await hub.createRepo({ ...creds, repo: "admin/info-model" });
  await hub.uploadFiles({
    ...creds,
    repo: "admin/info-model",
    files: [{ path: "config.json", content: new Blob(['{"model_type": "bert"}']) }],
  });
  const head = (await collect(hub.listCommits({ ...creds, repo: "admin/info-model" })))[0].oid;
  const info = await hub.modelInfo({ ...creds, name: "admin/info-model", additionalFields: ["sha", "author"] });
  assert.equal(info.name, "admin/info-model");
  assert.match(info.id, /^[0-9a-f]{24}$/);
  assert.equal(info.sha, head);
  assert.equal(info.author, "admin");
  assert.equal(info.private, false);
  assert.equal(info.gated, false);
  assert.equal(info.downloads, 0);
  assert.equal(info.likes, 0);
  assert.ok(info.updatedAt instanceof Date);
  assert.ok(info.updatedAt.getTime() >= before - 2000 && info.updatedAt.getTime() <= Date.now() + 2000,
            `lastModified ${info.updatedAt.toISOString()} is not recent`);
  const byRevision = await hub.modelInfo({ ...creds, name: "admin/info-model", revision: "main", additionalFields: ["sha"] });
  assert.equal(byRevision.sha, head);
  const initial = (await collect(hub.listCommits({ ...creds, repo: "admin/info-model" }))).at(-1).oid;
  const bySha = await hub.modelInfo({ ...creds, name: "admin/info-model", revision: initial, additionalFields: ["sha", "siblings"] });
  assert.equal(bySha.sha, initial);
  assert.deepEqual(bySha.siblings.map((s) => s.rfilename), [".gitattributes"]);
  const files = await hub.modelInfo({ ...creds, name: "admin/info-model", additionalFields: ["filePaths"] });
  assert.deepEqual(files.filePaths.sort(), [".gitattributes", "config.json"]);
  await assert.rejects(hub.modelInfo({ ...creds, name: "admin/info-model", revision: "no-such-branch" }),
                       (e) => e instanceof hub.HubApiError && e.statusCode === 404);
});

test("ModelInfoReportsCardDataFromReadme", async () => {
  await hub.createRepo({ ...creds, repo: "admin/card-model" });
  const readme = "---\nlicense: apache-2.0\ntags:\n- text-classification\n- wharf\nlibrary_name: transformers\n---\n# Card\n";
  await hub.uploadFiles({ ...creds, repo: "admin/card-model", files: [{ path: "README.md", content: new Blob([readme]) }] });
  const info = await hub.modelInfo({ ...creds, name: "admin/card-model", additionalFields: ["cardData", "tags"] });
  assert.deepEqual(info.cardData, { license: "apache-2.0", tags: ["text-classification", "wharf"], library_name: "transformers" });
  assert.ok(info.tags.includes("wharf"), `tags ${JSON.stringify(info.tags)}`);
});

test("DatasetInfoReportsIdShaAndCardData", async () => {
  const repo = { type: "dataset", name: "admin/card-dataset" };
  await hub.createRepo({ ...creds, repo });
  const readme = "---\nlicense: mit\nlanguage:\n- en\npretty_name: Wharf Test\n---\nA dataset.\n";
  const out = await hub.uploadFiles({ ...creds, repo, files: [{ path: "README.md", content: new Blob([readme]) }] });
  const info = await hub.datasetInfo({ ...creds, name: "admin/card-dataset", additionalFields: ["cardData", "sha"] });
  assert.equal(info.name, "admin/card-dataset");
  assert.match(info.id, /^[0-9a-f]{24}$/);
  assert.equal(info.sha, out.commit.oid);
  assert.equal(info.private, false);
  assert.ok(info.updatedAt instanceof Date && !Number.isNaN(info.updatedAt.getTime()));
  assert.deepEqual(info.cardData, { license: "mit", language: ["en"], pretty_name: "Wharf Test" });
});

test("DeleteRepoRemovesIt", async () => {
  await hub.createRepo({ ...creds, repo: "admin/doomed" });
  assert.equal(await hub.repoExists({ ...creds, repo: "admin/doomed" }), true);
  await hub.deleteRepo({ ...creds, repo: "admin/doomed" });
  assert.equal(await hub.repoExists({ ...creds, repo: "admin/doomed" }), false);
  await assert.rejects(hub.modelInfo({ ...creds, name: "admin/doomed" }),
                       (e) => e instanceof hub.HubApiError && e.statusCode === 404);
  // The name is free again.
  await hub.createRepo({ ...creds, repo: "admin/doomed" });
  assert.equal(await hub.repoExists({ ...creds, repo: "admin/doomed" }), true);

  const ds = { type: "dataset", name: "admin/doomed-ds" };
  await hub.createRepo({ ...creds, repo: ds });
  await hub.deleteRepo({ ...creds, repo: ds });
  assert.equal(await hub.repoExists({ ...creds, repo: ds }), false);
});

test("DeleteRepoOfMissingRepoFailsWith404", async () => {
  await assert.rejects(hub.deleteRepo({ ...creds, repo: "admin/never-existed" }),
                       (e) => e instanceof hub.HubApiError && e.statusCode === 404);
});

test("CreateRepoWithInitialFilesAndLicense", async () => {
  const repo = "admin/with-files";
  const weights = new Uint8Array([0, 1, 2, 3, 255]);
  await hub.createRepo({
    ...creds,
    repo,
    license: "mit",
    files: [{ path: "notes/hello.txt", content: new Blob(["hello\n"]) }, { path: "tiny.bin", content: weights.buffer }],
  });
  const got = await hub.downloadFile({ ...creds, repo, path: "notes/hello.txt" });
  assert.equal(await got.text(), "hello\n");
  assert.deepEqual(new Uint8Array(await (await hub.downloadFile({ ...creds, repo, path: "tiny.bin" })).arrayBuffer()), weights);
  const info = await hub.modelInfo({ ...creds, name: repo, additionalFields: ["cardData"] });
  assert.equal(info.cardData?.license, "mit");
});

test("UploadToMissingRepoFailsWith404", async () => {
  await assert.rejects(
    hub.uploadFiles({ ...creds, repo: "admin/not-created", files: [{ path: "a.txt", content: new Blob(["a"]) }] }),
    (e) => e instanceof hub.HubApiError && e.statusCode === 404);
  assert.equal(await hub.repoExists({ ...creds, repo: "admin/not-created" }), false);
});
