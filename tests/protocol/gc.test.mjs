// LFS uploads that no commit references are collected after the grace period; committed
// objects, and uploads still within their grace period, are kept.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";

import { startWharf, wharfAdmin } from "../lib/wharf.mjs";
import { commit, createRepo, lfsOp, lfsUpload } from "../lib/hub_ops.mjs";

const objectPath = (dataDir, oid) => join(dataDir, "lfs", oid.slice(0, 2), oid.slice(2, 4), oid);

test("GcRemovesOnlyUncommittedUploadsPastTheirGrace", async () => {
  const server = await startWharf();
  try {
    await createRepo(server, "gc", { organization: "admin" });
    const kept = await lfsUpload(server, "gc", Buffer.from("committed ".repeat(1000)));
    const orphan = await lfsUpload(server, "gc", Buffer.from("never committed ".repeat(1000)));
    await commit(server, "gc", "add weights", [lfsOp("w.bin", kept.oid, kept.size)]);

    // Within the default grace period nothing goes.
    assert.match(await wharfAdmin(server.dataDir, "gc"), /removed 0 /);
    assert.ok(existsSync(objectPath(server.dataDir, orphan.oid)));

    await new Promise((r) => setTimeout(r, 1100));
    assert.match(await wharfAdmin(server.dataDir, "gc", "--lfs-grace-seconds", "1"), /removed 1 /);
    assert.ok(!existsSync(objectPath(server.dataDir, orphan.oid)), "the orphan is collected");
    assert.ok(existsSync(objectPath(server.dataDir, kept.oid)), "the committed object stays");

    const res = await fetch(`${server.url}/admin/gc/resolve/main/w.bin`);
    assert.equal(res.status, 200);
    assert.equal(Buffer.from(await res.arrayBuffer()).length, kept.size);
  } finally {
    await server.stop();
  }
});
