// A git push and an API commit to the same branch, started at the same instant: the ref
// moves by compare-and-swap on both paths, so one wins and the other is refused cleanly (a
// non-fast-forward or a failed ref update for git, 412 for the API); nothing acknowledged is
// lost, the repo stays whole, and the index ends at git's main.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

import { startWharf } from "../lib/wharf.mjs";
import { createRepo, commitRaw, ndjson, fileOp, git } from "../lib/hub_ops.mjs";
import { GitClient, cloneUrl, bareRefs, assertFsckClean, assertIndexMatchesGit } from "../lib/git_client.mjs";

const REPO = "contested";
const STORE = `models/admin/${REPO}`;
const ROUNDS = 8;
const GIT_REFUSAL = /\[rejected\].*(non-fast-forward|fetch first)|\[remote rejected\].*(failed to update ref|cannot lock ref)/;

let server;
let client;
let work;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function mainInGit() {
  return (await bareRefs(server.dataDir, STORE))["refs/heads/main"];
}

async function isAncestor(ancestor, of) {
  return (await git(server.dataDir, STORE, "merge-base", "--is-ancestor", ancestor, of)).code === 0;
}

// Starts a push of a new commit on `base` and an API commit (on `base` when `withParent`)
// at the same instant, the API one `apiDelayMs` later to vary which reaches the ref first.
async function race(round, base, { withParent, apiDelayMs }) {
  await client.ok(work, "fetch", "-q", "origin");
  await client.ok(work, "reset", "-q", "--hard", base);
  writeFileSync(join(work, `push-${round}.txt`), `pushed in round ${round}\n`);
  await client.ok(work, "add", "-A");
  await client.ok(work, "commit", "-q", "-m", `push ${round}`);
  const pushed = await client.ok(work, "rev-parse", "HEAD");
  const body = ndjson(`api ${round}`, [fileOp(`api-${round}.txt`, `committed in round ${round}\n`)],
    withParent ? { parentCommit: base } : {});
  const [push, api] = await Promise.all([
    client.raw(["push", "origin", "main"], { cwd: work }),
    sleep(apiDelayMs).then(() => commitRaw(server, REPO, body)),
  ]);
  return { pushed, push, api };
}

describe("git push against API commits", () => {
  before(async () => {
    server = await startWharf();
    client = await new GitClient().init();
    await createRepo(server, REPO);
    work = client.dir("work");
    await client.ok(client.home, "clone", "-q", cloneUrl(server, `admin/${REPO}`, { token: server.token }), work);
  });

  after(async () => {
    client?.cleanup();
    await server?.stop();
  });

  test("PushAndApiCommitOnTheSameParentExactlyOneWins", async () => {
    // How long a push takes here: the API commit starts from 0 to 1.2 times that later, so
    // that early rounds favour the API, late rounds the push, and the middle ones truly race.
    writeFileSync(join(work, "warm-up.txt"), "warm up\n");
    await client.ok(work, "add", "-A");
    await client.ok(work, "commit", "-q", "-m", "warm up");
    const started = Date.now();
    await client.ok(work, "push", "-q", "origin", "main");
    const pushMs = Date.now() - started;

    const wins = { push: 0, api: 0 };
    const kept = [];  // every acknowledged commit
    // Extra rounds, at the extremes, for a side that has not won yet (a machine under load
    // can shift the timing): the test needs both orders, not a lucky one.
    for (let round = 0; round < ROUNDS || (round < ROUNDS + 6 && !(wins.push && wins.api)); round++) {
      const base = await mainInGit();
      const apiDelayMs = round < ROUNDS ? Math.round((round / (ROUNDS - 1)) * 1.2 * pushMs)
        : wins.push ? 0 : 3 * pushMs;
      const { pushed, push, api } = await race(round, base, { withParent: true, apiDelayMs });
      const pushWon = push.code === 0;
      const apiWon = api.status === 200;
      assert.equal(Number(pushWon) + Number(apiWon), 1,
        `round ${round}: exactly one wins; push ${push.code} ${push.stderr}; API ${api.describe()}`);
      const main = await mainInGit();
      if (pushWon) {
        wins.push++;
        assert.equal(api.status, 412, `round ${round}: ${api.describe()}`);
        assert.equal(main, pushed, `round ${round}: main is the pushed commit`);
      } else {
        wins.api++;
        assert.match(push.stderr, GIT_REFUSAL, `round ${round}: git said\n${push.stderr}`);
        assert.equal(main, api.json().commitOid, `round ${round}: main is the API commit`);
      }
      kept.push(main);
      for (const sha of kept) assert.ok(await isAncestor(sha, main), `round ${round}: ${sha} was lost`);
      assert.equal(await assertIndexMatchesGit(server, REPO), main, `round ${round}`);
    }
    await assertFsckClean(server.dataDir, STORE);
    // Both sides won some rounds: otherwise the timing never let the race happen.
    assert.ok(wins.push > 0 && wins.api > 0, `wins ${JSON.stringify(wins)} (a push takes ${pushMs} ms)`);
  });

  test("PushAndApiCommitWithoutParentLoseNothing", async () => {
    for (let round = 100; round < 100 + ROUNDS / 2; round++) {
      const base = await mainInGit();
      const { pushed, push, api } = await race(round, base, { withParent: false, apiDelayMs: (round % 4) * 60 });
      const main = await mainInGit();
      if (push.code === 0) assert.ok(await isAncestor(pushed, main), `round ${round}: the pushed commit was lost`);
      else assert.match(push.stderr, GIT_REFUSAL, `round ${round}: git said\n${push.stderr}`);
      if (api.status === 200) assert.ok(await isAncestor(api.json().commitOid, main), `round ${round}: the API commit was lost`);
      else assert.equal(api.status, 412, `round ${round}: ${api.describe()}`);
      assert.ok(push.code === 0 || api.status === 200, `round ${round}: neither side won`);
      assert.ok(await isAncestor(base, main), `round ${round}: history was rewritten`);
      assert.equal(await assertIndexMatchesGit(server, REPO), main, `round ${round}`);
    }
    await assertFsckClean(server.dataDir, STORE);
  });
});
