// Repos that take many API commits stay fast: wharf runs git's own maintenance in the
// background after commits and pushes, so loose objects are packed without blocking anyone.
import { test } from "node:test";
import assert from "node:assert/strict";

import { startWharf } from "../lib/wharf.mjs";
import { commit, createRepo, fileOp, git } from "../lib/hub_ops.mjs";

async function looseCount(dataDir) {
  const out = await git(dataDir, "models/admin/busy", "count-objects", "-v");
  return Number(out.stdout.match(/^count: (\d+)/m)[1]);
}

test("ApiCommitsTriggerBackgroundGcThatPacksLooseObjects", async () => {
  const server = await startWharf();
  try {
    await createRepo(server, "busy", { organization: "admin" });
    // git's own threshold (100 loose objects), lowered so that a few commits cross it.
    const set = await git(server.dataDir, "models/admin/busy", "config", "maintenance.loose-objects.auto", "20");
    assert.equal(set.code, 0);
    let head;
    for (let i = 0; i < 60; ++i)
      head = await commit(server, "busy", `commit ${i}`, [fileOp(`f${i}.txt`, `content ${i}\n`), fileOp(`d/g${i}.txt`, `${i}`)]);
    // 60 commits wrote about 300 objects; maintenance runs after the 1st, 26th and 51st: the
    // second packs the loose objects, the third removes those it packed.
    let loose = await looseCount(server.dataDir);
    for (let tries = 0; loose > 250 && tries < 100; ++tries) {
      await new Promise((r) => setTimeout(r, 100));
      loose = await looseCount(server.dataDir);
    }
    assert.ok(loose <= 250, `maintenance packed and pruned loose objects (${loose} left)`);
    const packs = await git(server.dataDir, "models/admin/busy", "count-objects", "-v");
    assert.match(packs.stdout, /^packs: [1-9]/m);
    // Readers and writers go on as before.
    const res = await fetch(`${server.url}/admin/busy/resolve/${head}/f9.txt`);
    assert.equal(await res.text(), "content 9\n");
    await commit(server, "busy", "after gc", [fileOp("after.txt", "x")]);
    assert.equal((await git(server.dataDir, "models/admin/busy", "fsck", "--strict")).code, 0);
  } finally {
    await server.stop();
  }
});
