// Visibility and token roles through @huggingface/hub against a real wharf.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as hub from "@huggingface/hub";
import { isApiError } from "../lib/js_client.mjs";
import { startWharf, wharfAdmin } from "../lib/wharf.mjs";
import { collect, blobBytes } from "../lib/content.mjs";

let server;
let admin;     // the bootstrap admin's write token
let bobRead;   // a read token of another user
let bobWrite;  // a write token of that user
const PRIVATE = "admin/secret";
const PUBLIC = "admin/open";
const secret = Buffer.from("top secret\n");

before(async () => {
  server = await startWharf();
  admin = { hubUrl: server.url, accessToken: server.token };
  await wharfAdmin(server.dataDir, "user", "create", "bob");
  bobRead = { hubUrl: server.url, accessToken: await wharfAdmin(server.dataDir, "token", "create", "--user", "bob", "--role", "read") };
  bobWrite = { hubUrl: server.url, accessToken: await wharfAdmin(server.dataDir, "token", "create", "--user", "bob", "--role", "write") };
  await hub.createRepo({ ...admin, repo: PRIVATE, visibility: "private" });
  await hub.uploadFiles({ ...admin, repo: PRIVATE, files: [{ path: "secret.txt", content: new Blob([secret]) }] });
  await hub.createRepo({ ...admin, repo: PUBLIC });
  await hub.uploadFiles({ ...admin, repo: PUBLIC, files: [{ path: "hello.txt", content: new Blob(["hello\n"]) }] });
});

after(async () => {
  await server?.stop();
});

test("AdminTokensIdentifyTheirUsers", async () => {
  const me = await hub.whoAmI(bobRead);
  assert.equal(me.name, "bob");
  assert.equal(me.auth.accessToken.role, "read");
  assert.equal((await hub.whoAmI(bobWrite)).auth.accessToken.role, "write");
});

test("OwnerSeesPrivateRepo", async () => {
  const info = await hub.modelInfo({ ...admin, name: PRIVATE });
  assert.equal(info.private, true);
  assert.equal(info.name, PRIVATE);
  assert.deepEqual(await blobBytes(await hub.downloadFile({ ...admin, repo: PRIVATE, path: "secret.txt" })), secret);
});

test("PrivateRepoIsInvisibleToAnonymousClient", async () => {
  const anon = { hubUrl: server.url };
  await assert.rejects(hub.modelInfo({ ...anon, name: PRIVATE }), isApiError(401));
  assert.equal(await hub.repoExists({ ...anon, repo: PRIVATE }), false);
  await assert.rejects(collect(hub.listFiles({ ...anon, repo: PRIVATE })), isApiError(401));
  await assert.rejects(hub.downloadFile({ ...anon, repo: PRIVATE, path: "secret.txt" }), isApiError(401));
  await assert.rejects(collect(hub.listCommits({ ...anon, repo: PRIVATE })), isApiError(401));
  // A public repo is readable without credentials.
  const info = await hub.modelInfo({ ...anon, name: PUBLIC });
  assert.equal(info.private, false);
  assert.equal((await blobBytes(await hub.downloadFile({ ...anon, repo: PUBLIC, path: "hello.txt" }))).toString(), "hello\n");
});

test("PrivateRepoIsInvisibleToAnotherUsersReadToken", async () => {
  await assert.rejects(hub.modelInfo({ ...bobRead, name: PRIVATE }), isApiError(404));
  assert.equal(await hub.repoExists({ ...bobRead, repo: PRIVATE }), false);
  assert.equal(await hub.fileExists({ ...bobRead, repo: PRIVATE, path: "secret.txt" }), false);
  await assert.rejects(collect(hub.listFiles({ ...bobRead, repo: PRIVATE })), isApiError(404));
  await assert.rejects(hub.pathsInfo({ ...bobRead, repo: PRIVATE, paths: ["secret.txt"] }), isApiError(404));
  // Its contents are hidden the same way from bob's write token.
  await assert.rejects(hub.modelInfo({ ...bobWrite, name: PRIVATE }), isApiError(404));
  await assert.rejects(
    hub.uploadFiles({ ...bobWrite, repo: PRIVATE, files: [{ path: "x.txt", content: new Blob(["x"]) }] }),
    isApiError(404));
});

test("ReadTokenCannotUpload", async () => {
  // Bob's own repo, so only the token's role is in the way.
  await hub.createRepo({ ...bobWrite, repo: "bob/mine" });
  const before = (await collect(hub.listCommits({ ...bobRead, repo: "bob/mine" }))).map((c) => c.oid);
  await assert.rejects(
    hub.uploadFiles({ ...bobRead, repo: "bob/mine", files: [{ path: "x.txt", content: new Blob(["x"]) }] }),
    isApiError(403));
  await assert.rejects(
    hub.uploadFiles({ ...bobRead, repo: "bob/mine", useXet: false, files: [{ path: "x.bin", content: new Blob([Buffer.alloc(2048, 1)]) }] }),
    isApiError(403));
  await assert.rejects(hub.createRepo({ ...bobRead, repo: "bob/other" }), isApiError(403));
  await assert.rejects(hub.createBranch({ ...bobRead, repo: "bob/mine", branch: "dev" }), isApiError(403));
  await assert.rejects(hub.deleteRepo({ ...bobRead, repo: "bob/mine" }), isApiError(403));
  assert.deepEqual((await collect(hub.listCommits({ ...bobRead, repo: "bob/mine" }))).map((c) => c.oid), before);
  // The write token of the same user can.
  await hub.uploadFiles({ ...bobWrite, repo: "bob/mine", files: [{ path: "x.txt", content: new Blob(["x"]) }] });
  assert.equal(await hub.fileExists({ ...bobRead, repo: "bob/mine", path: "x.txt" }), true);
});

test("WriteTokenCannotUploadToAnotherUsersRepo", async () => {
  await assert.rejects(
    hub.uploadFiles({ ...bobWrite, repo: PUBLIC, files: [{ path: "vandal.txt", content: new Blob(["x"]) }] }),
    isApiError(403));
  await assert.rejects(hub.deleteRepo({ ...bobWrite, repo: PUBLIC }), isApiError(403));
  await assert.rejects(hub.createRepo({ ...bobWrite, repo: "admin/by-bob" }), isApiError(403));
  assert.equal(await hub.fileExists({ ...admin, repo: PUBLIC, path: "vandal.txt" }), false);
});
