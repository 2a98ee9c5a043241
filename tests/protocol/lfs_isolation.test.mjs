// LFS objects belong to the repos they were uploaded to: knowing an object's sha256 gives no
// access to another repo's copy, and a batch does not reveal that the object exists.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { startWharf } from "../lib/wharf.mjs";
import { curl, bearer } from "../lib/curl.mjs";
import { commitRaw, createRepo, lfsBatch, lfsOp, lfsUpload, ndjson, repoState, sha256 } from "../lib/hub_ops.mjs";

let server;
const secret = Buffer.from("weights of a private model ".repeat(4000));

before(async () => {
  server = await startWharf();
  await createRepo(server, "private-src", { organization: "admin", private: true });
  await createRepo(server, "other", { organization: "admin" });
  await lfsUpload(server, "private-src", secret);
});
after(() => server.stop());

test("UploadBatchAsksForBytesOfAnObjectStoredForAnotherRepo", async () => {
  const obj = await lfsBatch(server, "other", sha256(secret), secret.length);
  assert.ok(obj.actions?.upload?.href, "the client must send the bytes to prove it has them");
});

test("CommitCannotNameAnObjectUploadedToAnotherRepo", async () => {
  const before = await repoState(server, "other");
  const res = await commitRaw(server, "other", ndjson("steal", [lfsOp("w.bin", sha256(secret), secret.length)]));
  assert.equal(res.status, 400, res.describe());
  assert.match(res.json().error, /never uploaded/);
  assert.deepEqual(await repoState(server, "other"), before);
});

test("DownloadBatchRefusesAnObjectOfAnotherRepo", async () => {
  const res = await curl(`${server.url}/admin/other.git/info/lfs/objects/batch`, {
    method: "POST",
    headers: { ...bearer(server.token), "Content-Type": "application/vnd.git-lfs+json" },
    body: JSON.stringify({ operation: "download", objects: [{ oid: sha256(secret), size: secret.length }] }),
  });
  assert.equal(res.status, 200, res.describe());
  const [obj] = res.json().objects;
  assert.equal(obj.error?.code, 404);
  assert.equal(obj.actions, undefined);
});

test("UploadingTheBytesAgainMakesTheObjectUsableInTheOtherRepo", async () => {
  await lfsUpload(server, "other", secret);
  const res = await commitRaw(server, "other", ndjson("own copy", [lfsOp("w.bin", sha256(secret), secret.length)]));
  assert.equal(res.status, 200, res.describe());
  const again = await lfsBatch(server, "other", sha256(secret), secret.length);
  assert.equal(again.actions, undefined, "an object already uploaded to this repo needs no transfer");
});
