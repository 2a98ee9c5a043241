// Hub operations over curl for protocol tests: create a repo, commit NDJSON, upload an LFS
// object, read a repo's state. Each returns the raw CurlResponse where the status matters.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";

import { curl, bearer } from "./curl.mjs";

export const sha256 = (buf) => createHash("sha256").update(buf).digest("hex");

// POST /api/repos/create for `name` under the token's user. Throws unless 200.
export async function createRepo(server, name, extra = {}) {
  const res = await curl(`${server.url}/api/repos/create`, {
    method: "POST",
    headers: { ...bearer(server.token), "Content-Type": "application/json" },
    body: JSON.stringify({ name, ...extra }),
  });
  if (res.status !== 200) throw new Error(`create ${name}: ${res.describe()}`);
  return res.json();
}

// NDJSON for a commit: a header, then one line per operation object ({key, value}).
export function ndjson(summary, operations, { parentCommit, trailingNewline = true } = {}) {
  const header = { key: "header", value: { summary, description: "", ...(parentCommit ? { parentCommit } : {}) } };
  return [header, ...operations].map((l) => JSON.stringify(l)).join("\n") + (trailingNewline ? "\n" : "");
}

export const fileOp = (path, content) => ({
  key: "file",
  value: { path, content: Buffer.from(content).toString("base64"), encoding: "base64" },
});
export const lfsOp = (path, oid, size) => ({ key: "lfsFile", value: { path, algo: "sha256", oid, size } });

// POSTs a commit body (string or Buffer) to `repo` (the name under admin) at `rev`.
export function commitRaw(server, repo, body, { rev = "main", token = server.token, bodyFile } = {}) {
  return curl(`${server.url}/api/models/admin/${repo}/commit/${encodeURIComponent(rev)}`, {
    method: "POST",
    headers: { ...bearer(token), "Content-Type": "application/x-ndjson" },
    body,
    bodyFile,
  });
}

// Commits `operations` and returns the new commit sha; throws unless 200.
export async function commit(server, repo, summary, operations, options = {}) {
  const res = await commitRaw(server, repo, ndjson(summary, operations, options), options);
  if (res.status !== 200) throw new Error(`commit to ${repo}: ${res.describe()}`);
  return res.json().commitOid;
}

// Runs the LFS batch for one object and returns the object answer.
export async function lfsBatch(server, repo, oid, size) {
  const res = await curl(`${server.url}/admin/${repo}.git/info/lfs/objects/batch`, {
    method: "POST",
    headers: { ...bearer(server.token), "Content-Type": "application/vnd.git-lfs+json", Accept: "application/vnd.git-lfs+json" },
    body: JSON.stringify({ operation: "upload", transfers: ["basic", "multipart"], hash_algo: "sha256", objects: [{ oid, size }] }),
  });
  if (res.status !== 200) throw new Error(`LFS batch: ${res.describe()}`);
  return res.json().objects[0];
}

// Uploads `content` as an LFS object of `repo` (batch + PUT without auth); returns {oid, size}.
export async function lfsUpload(server, repo, content) {
  const oid = sha256(content);
  const size = content.length;
  const obj = await lfsBatch(server, repo, oid, size);
  if (obj.actions?.upload) {
    const put = await curl(obj.actions.upload.href, { method: "PUT", body: content });
    if (put.status !== 200) throw new Error(`LFS PUT: ${put.describe()}`);
  }
  return { oid, size };
}

// The observable state of a repo: main's head sha and the full recursive tree listing.
// Read with node's fetch rather than curl: it runs after every bad request, and the
// requests under test are the curl ones.
export async function repoState(server, repo, type = "models") {
  const headers = bearer(server.token);
  const info = await fetch(`${server.url}/api/${type}/admin/${repo}/revision/main`, { headers });
  if (info.status !== 200) throw new Error(`state of ${repo}: ${info.status} ${await info.text()}`);
  const entries = [];
  let next = `${server.url}/api/${type}/admin/${repo}/tree/main?recursive=true&expand=false`;
  while (next) {
    const page = await fetch(next, { headers });
    if (page.status !== 200) throw new Error(`tree of ${repo}: ${page.status} ${await page.text()}`);
    entries.push(...(await page.json()));
    next = page.headers.get("Link")?.match(/^<([^>]+)>/)?.[1];
  }
  return { head: (await info.json()).sha, tree: entries };
}

// Runs git on a repository of the data dir; resolves to {code, stdout, stderr}.
export function git(dataDir, repoPath, ...args) {
  const gitDir = join(dataDir, "repos", `${repoPath}.git`);
  return new Promise((resolve) => {
    execFile("git", [`--git-dir=${gitDir}`, ...args], { maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }));
  });
}
