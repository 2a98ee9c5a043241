// git push with the real git and git-lfs clients: branches, tags, LFS files, force-push and
// deletion land in the bare repo AND in what the API serves, before the push returns; the
// push rules refuse what the Hub refuses, and every refused push leaves the repo as it was.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { startWharf, wharfAdmin } from "../lib/wharf.mjs";
import { bearer } from "../lib/curl.mjs";
import { createRepo, commit, fileOp, lfsUpload, git, sha256 } from "../lib/hub_ops.mjs";
import {
  GitClient, cloneUrl, bareRefs, assertFsckClean, assertUntouched, assertIndexMatchesGit,
} from "../lib/git_client.mjs";

const REPO = "pushed";
const STORE = `models/admin/${REPO}`;
const MiB = 1024 * 1024;

let server;
let client;
let work;  // a clone of REPO whose origin carries the admin's token

async function api(path) {
  return fetch(`${server.url}${path}`, { headers: bearer(server.token) });
}

async function apiJson(path) {
  const res = await api(path);
  assert.equal(res.status, 200, `GET ${path}: ${res.status} ${await res.clone().text()}`);
  return res.json();
}

async function resolveBytes(rev, path) {
  const res = await api(`/admin/${REPO}/resolve/${encodeURIComponent(rev)}/${path}`);
  assert.equal(res.status, 200, `resolve ${rev}/${path}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

async function treePaths(rev) {
  const entries = await apiJson(`/api/models/admin/${REPO}/tree/${encodeURIComponent(rev)}?recursive=true`);
  return entries;
}

function write(path, content) {
  writeFileSync(join(work, path), content);
}

// Commits everything in the work tree; returns the new commit sha.
async function commitAll(message) {
  await client.ok(work, "add", "-A");
  await client.ok(work, "commit", "-q", "-m", message);
  return client.ok(work, "rev-parse", "HEAD");
}

// Pushes `args` expecting a refusal whose output matches `pattern`; asserts the bare repo
// kept its refs and passes fsck; then puts the work tree back on origin/main.
async function refusedPush(what, args, pattern) {
  const refs = await bareRefs(server.dataDir, STORE);
  const r = await client.fails(work, "push", "origin", ...args);
  assert.match(r.stderr, pattern, `${what}: git said\n${r.stderr}`);
  await assertUntouched(server.dataDir, STORE, refs, what);
  await client.ok(work, "reset", "-q", "--hard", "origin/main");
  await client.ok(work, "clean", "-qfdx");
  return r;
}

describe("git push", () => {
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

  test("PushToMainIsIndexedBeforeThePushReturns", async () => {
    write("README.md", "---\nlicense: mit\ntags:\n- pushed-by-git\n---\n# Pushed\n");
    write("config.json", '{"hidden_size": 8}\n');
    const sha = await commitAll("add README and config");
    await client.ok(work, "push", "-q", "origin", "main");
    // No wait: the push has returned, so the index must already say so.
    assert.equal(await assertIndexMatchesGit(server, REPO), sha);
    const info = await apiJson(`/api/models/admin/${REPO}`);
    assert.ok(info.tags.includes("pushed-by-git"), `tags ${info.tags}`);
    assert.ok(info.tags.includes("license:mit"), `tags ${info.tags}`);
    assert.deepEqual(info.siblings.map((s) => s.rfilename).sort(), [".gitattributes", "README.md", "config.json"]);
    assert.equal((await apiJson(`/api/models/admin/${REPO}/revision/main`)).sha, sha);
    assert.equal((await resolveBytes("main", "config.json")).toString(), '{"hidden_size": 8}\n');
    await assertFsckClean(server.dataDir, STORE);
  });

  test("PushOfANewBranchIsServedByTheApi", async () => {
    const mainBefore = (await bareRefs(server.dataDir, STORE))["refs/heads/main"];
    await client.ok(work, "checkout", "-q", "-b", "feature");
    write("feature.txt", "only on the feature branch\n");
    const sha = await commitAll("feature work");
    const r = await client.raw(["push", "origin", "feature"], { cwd: work });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\* \[new branch\]\s+feature -> feature/);
    const refs = await bareRefs(server.dataDir, STORE);
    assert.equal(refs["refs/heads/feature"], sha);
    assert.equal(refs["refs/heads/main"], mainBefore, "main did not move");
    assert.equal((await apiJson(`/api/models/admin/${REPO}/revision/feature`)).sha, sha);
    assert.ok((await treePaths("feature")).some((e) => e.path === "feature.txt"));
    assert.ok(!(await treePaths("main")).some((e) => e.path === "feature.txt"));
    assert.equal((await resolveBytes("feature", "feature.txt")).toString(), "only on the feature branch\n");
    const branches = (await apiJson(`/api/models/admin/${REPO}/refs`)).branches;
    assert.equal(branches.find((b) => b.name === "feature")?.targetCommit, sha);
    await client.ok(work, "checkout", "-q", "main");
  });

  test("PushOfLightweightAndAnnotatedTags", async () => {
    const head = await client.ok(work, "rev-parse", "HEAD");
    await client.ok(work, "tag", "v1-light");
    await client.ok(work, "tag", "-a", "v1-annotated", "-m", "an annotated tag");
    await client.ok(work, "push", "-q", "origin", "v1-light", "v1-annotated");
    const refs = await bareRefs(server.dataDir, STORE);
    assert.equal(refs["refs/tags/v1-light"], head);
    const type = await git(server.dataDir, STORE, "cat-file", "-t", "refs/tags/v1-annotated");
    assert.equal(type.stdout.trim(), "tag", "the annotated tag is a tag object");
    const peeled = await git(server.dataDir, STORE, "rev-parse", "refs/tags/v1-annotated^{commit}");
    assert.equal(peeled.stdout.trim(), head);
    const tags = (await apiJson(`/api/models/admin/${REPO}/refs`)).tags;
    assert.deepEqual(tags.map((t) => t.name).sort(), ["v1-annotated", "v1-light"]);
    for (const t of tags) assert.equal(t.targetCommit, head, `tag ${t.name} targets the commit`);
    for (const rev of ["v1-light", "v1-annotated"]) {
      assert.equal((await apiJson(`/api/models/admin/${REPO}/revision/${rev}`)).sha, head, rev);
      assert.equal((await resolveBytes(rev, "config.json")).toString(), '{"hidden_size": 8}\n', rev);
    }
  });

  test("PushOfAnLfsFileUploadsThroughTheBatchApi", async () => {
    const weights = randomBytes(3 * MiB + 17);
    await client.ok(work, "lfs", "track", "*.bin");
    write("weights.bin", weights);
    const sha = await commitAll("add weights through git-lfs");
    const r = await client.raw(["push", "origin", "main"], { cwd: work });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await assertIndexMatchesGit(server, REPO), sha);

    // git-lfs uploaded the object; git stores the pointer; the API serves the bytes.
    const oid = sha256(weights);
    const stored = join(server.dataDir, "lfs", oid.slice(0, 2), oid.slice(2, 4), oid);
    assert.ok(existsSync(stored) && readFileSync(stored).equals(weights), "the object is in the LFS store");
    const blob = await git(server.dataDir, STORE, "cat-file", "blob", "main:weights.bin");
    assert.equal(blob.stdout, `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${weights.length}\n`);
    const entry = (await treePaths("main")).find((e) => e.path === "weights.bin");
    assert.equal(entry?.lfs?.oid, oid);
    assert.equal(entry.lfs.size, weights.length);
    assert.equal(entry.size, weights.length);
    assert.ok((await resolveBytes("main", "weights.bin")).equals(weights), "resolve serves the pushed bytes");

    // The hook marked the object committed: a GC with no grace period keeps it.
    assert.match(await wharfAdmin(server.dataDir, "gc", "--lfs-grace-seconds", "0"), /removed \d+ /);
    assert.ok((await resolveBytes("main", "weights.bin")).equals(weights), "the pushed object survives a GC");

    // And git-lfs downloads it again into a fresh clone.
    const again = client.dir("again");
    await client.ok(client.home, "clone", "-q", cloneUrl(server, `admin/${REPO}`), again);
    assert.ok(readFileSync(join(again, "weights.bin")).equals(weights), "the clone smudged the LFS file");
  });

  test("ApiCommitIsSeenByGitAndPushedCommitByTheApi", async () => {
    const apiSha = await commit(server, REPO, "commit through the API", [fileOp("from-api.txt", "written by the API\n")]);
    await client.ok(work, "pull", "-q", "--ff-only", "origin", "main");
    assert.equal(await client.ok(work, "rev-parse", "HEAD"), apiSha, "git fetched the API commit");
    assert.equal(readFileSync(join(work, "from-api.txt"), "utf8"), "written by the API\n");

    write("from-git.txt", "written by git\n");
    const gitSha = await commitAll("commit through git");
    await client.ok(work, "push", "-q", "origin", "main");
    assert.equal(await assertIndexMatchesGit(server, REPO), gitSha);
    const history = await apiJson(`/api/models/admin/${REPO}/commits/main`);
    assert.deepEqual(history.slice(0, 2).map((c) => c.id), [gitSha, apiSha]);
    assert.equal((await resolveBytes("main", "from-git.txt")).toString(), "written by git\n");
  });

  test("PushRulesRefuseLargeAndBinaryFilesOutsideLfs", async (t) => {
    await t.test("a text file over 10 MiB", async () => {
      write("big.txt", Buffer.alloc(11 * 1000 * 1000, "0123456789abcdef\n"));
      await commitAll("a big text file");
      const r = await refusedPush("11 MB text", ["main"], /pre-receive hook declined/);
      assert.match(r.stderr, /big\.txt is larger than 10 MiB/);
      assert.match(r.stderr, /git-lfs|git lfs/);
    });
    await t.test("a binary file over 1 MiB", async () => {
      const binary = randomBytes(2 * MiB);
      binary[0] = 0;
      write("blob.dat", binary);
      await commitAll("a binary file");
      const r = await refusedPush("2 MB binary", ["main"], /pre-receive hook declined/);
      assert.match(r.stderr, /blob\.dat is a binary file over 1 MiB/);
      assert.match(r.stderr, /git-lfs|git lfs/);
    });
    await t.test("a text file of 2 MB is accepted", async () => {
      const text = Buffer.from(randomBytes(1536 * 1024).toString("base64"));
      write("text.txt", text);
      const sha = await commitAll("a 2 MB text file");
      await client.ok(work, "push", "-q", "origin", "main");
      assert.equal(await assertIndexMatchesGit(server, REPO), sha);
      assert.ok((await resolveBytes("main", "text.txt")).equals(text));
    });
  });

  test("PushRulesRefuseLfsPointersWithoutTheirObject", async (t) => {
    // A pointer written by hand, outside the LFS filter, pushed without git-lfs's pre-push
    // hook (which would notice the missing object first): the server must check too.
    const pointer = (oid, size) => `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${size}\n`;
    await t.test("an object never uploaded", async () => {
      write("ghost.weights", pointer(sha256("never uploaded"), 14));
      await commitAll("a pointer to nothing");
      const r = await refusedPush("dangling pointer", ["--no-verify", "main"], /pre-receive hook declined/);
      assert.match(r.stderr, /ghost\.weights .*never uploaded/);
    });
    await t.test("an object uploaded to another repo only", async () => {
      await createRepo(server, "elsewhere");
      const other = await lfsUpload(server, "elsewhere", randomBytes(2048));
      write("stolen.weights", pointer(other.oid, other.size));
      await commitAll("a pointer to another repo's object");
      const r = await refusedPush("foreign pointer", ["--no-verify", "main"], /pre-receive hook declined/);
      assert.match(r.stderr, /stolen\.weights .*never uploaded/);
    });
    await t.test("an uploaded object with the wrong size", async () => {
      const mine = await lfsUpload(server, REPO, randomBytes(4096));
      write("wrong-size.weights", pointer(mine.oid, mine.size + 1));
      await commitAll("a pointer with the wrong size");
      await refusedPush("wrong size", ["--no-verify", "main"], /pre-receive hook declined/);
    });
  });

  test("ForcePushRewritesMainOnlyWithForce", async () => {
    write("doomed.txt", "will be rewritten away\n");
    const doomed = await commitAll("a commit to rewrite");
    await client.ok(work, "push", "-q", "origin", "main");
    assert.equal((await resolveBytes("main", "doomed.txt")).toString(), "will be rewritten away\n");

    await client.ok(work, "reset", "-q", "--hard", "HEAD~1");
    write("replacement.txt", "the new history\n");
    const replacement = await commitAll("the replacement");
    const refs = await bareRefs(server.dataDir, STORE);
    const r = await client.fails(work, "push", "origin", "main");
    assert.match(r.stderr, /\[rejected\].*non-fast-forward/);
    await assertUntouched(server.dataDir, STORE, refs, "push without --force");
    assert.equal(refs["refs/heads/main"], doomed);

    await client.ok(work, "push", "-q", "--force", "origin", "main");
    assert.equal(await assertIndexMatchesGit(server, REPO), replacement);
    const paths = (await treePaths("main")).map((e) => e.path);
    assert.ok(paths.includes("replacement.txt") && !paths.includes("doomed.txt"), paths.join(" "));
    assert.equal((await api(`/admin/${REPO}/resolve/main/doomed.txt`)).status, 404);
    await assertFsckClean(server.dataDir, STORE);
  });

  test("BranchAndTagDeletion", async () => {
    await client.ok(work, "push", "-q", "origin", "HEAD:refs/heads/short-lived", "HEAD:refs/tags/short-tag");
    assert.ok((await bareRefs(server.dataDir, STORE))["refs/heads/short-lived"]);
    await client.ok(work, "push", "-q", "origin", "--delete", "short-lived", "refs/tags/short-tag");
    const refs = await bareRefs(server.dataDir, STORE);
    assert.equal(refs["refs/heads/short-lived"], undefined);
    assert.equal(refs["refs/tags/short-tag"], undefined);
    const listed = await apiJson(`/api/models/admin/${REPO}/refs`);
    assert.ok(!listed.branches.some((b) => b.name === "short-lived"));
    assert.ok(!listed.tags.some((b) => b.name === "short-tag"));
    assert.equal((await api(`/api/models/admin/${REPO}/revision/short-lived`)).status, 404);
    await assertIndexMatchesGit(server, REPO);
  });

  test("DeletingTheDefaultBranchIsRefused", async () => {
    const r = await refusedPush("delete main", ["--delete", "main"], /main/);
    assert.match(r.stderr, /default branch main cannot be deleted/);
    await assertIndexMatchesGit(server, REPO);
  });

  test("PushToAPullRequestRefThatDoesNotExistIsRefused", async () => {
    write("pr.txt", "a PR commit\n");
    await commitAll("for refs/pr/1");
    const r = await refusedPush("refs/pr/1", ["HEAD:refs/pr/1"], /pre-receive hook declined/);
    assert.match(r.stderr, /Pull request #1 does not exist: open a pull request first/);
  });

  test("PushOutsideBranchesAndTagsIsRefused", async () => {
    for (const ref of ["refs/foo/bar", "refs/notes/commits", "refs/remotes/origin/main", "refs/convert/parquet"]) {
      const r = await refusedPush(ref, [`HEAD:${ref}`], /pre-receive hook declined/);
      assert.match(r.stderr, /only refs\/heads\/\* and refs\/tags\/\* can be pushed/, ref);
    }
  });

  test("OneRefusedRefRefusesTheWholePush", async () => {
    write("mixed.txt", "pushed with a bad ref beside\n");
    await commitAll("one good ref, one bad");
    const r = await refusedPush("main and refs/foo/x", ["main", "HEAD:refs/foo/x"], /pre-receive hook declined/);
    assert.match(r.stderr, /\[remote rejected\] main -> main/, "main did not land either");
  });

  test("TagsOfBlobsAndTreesAreRefused", async () => {
    await client.ok(work, "tag", "blob-tag", "HEAD:config.json");
    await client.ok(work, "tag", "tree-tag", "HEAD^{tree}");
    for (const tag of ["blob-tag", "tree-tag"]) {
      const r = await refusedPush(tag, [tag], /pre-receive hook declined/);
      assert.match(r.stderr, /is not a commit: branches and tags must point to commits/, tag);
    }
    await client.ok(work, "tag", "-d", "blob-tag", "tree-tag");
  });

  test("PushToDatasetAndSpaceReposWithLfs", async () => {
    for (const [prefix, type, extra] of [["datasets/", "dataset", { type: "dataset" }],
                                         ["spaces/", "space", { type: "space", sdk: "static" }]]) {
      const name = `pushed-${type}`;
      await createRepo(server, name, extra);
      for (const suffix of ["", ".git"]) {
        const dir = client.dir(`${name}${suffix}`);
        await client.ok(client.home, "clone", "-q",
          cloneUrl(server, `${prefix}admin/${name}`, { token: server.token, suffix }), dir);
        const bytes = randomBytes(40 * 1024);
        writeFileSync(join(dir, `data${suffix}.parquet`), bytes);  // LFS by the default .gitattributes
        writeFileSync(join(dir, `notes${suffix}.txt`), `pushed to a ${type}\n`);
        await client.ok(dir, "add", "-A");
        await client.ok(dir, "commit", "-q", "-m", `push to a ${type}`);
        const sha = await client.ok(dir, "rev-parse", "HEAD");
        await client.ok(dir, "push", "-q", "origin", "main");
        assert.equal(await assertIndexMatchesGit(server, name, { type }), sha, `${prefix}${name}${suffix}`);
        const res = await api(`/${prefix}admin/${name}/resolve/main/data${suffix}.parquet`);
        assert.equal(res.status, 200);
        assert.ok(Buffer.from(await res.arrayBuffer()).equals(bytes), `${prefix}${name}${suffix}: LFS bytes`);
        const pointer = await git(server.dataDir, `${type}s/admin/${name}`, "cat-file", "blob", `main:data${suffix}.parquet`);
        assert.match(pointer.stdout, new RegExp(`^version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(bytes)}\n`));
        await assertFsckClean(server.dataDir, `${type}s/admin/${name}`);
      }
    }
  });

  test("PushOfBranchNamesTheApiRefusesIsRefused", async () => {
    // git accepts these names; the Hub's branch rules do not.
    for (const name of ["HEAD", "0123456789abcdef0123456789abcdef01234567"]) {
      const r = await refusedPush(name, [`HEAD:refs/heads/${name}`], /pre-receive hook declined/);
      assert.match(r.stderr, /invalid branch name/, name);
    }
  });
});
