#!/usr/bin/env bash
# Pull request benchmark: a repo of PR_FILES files (1 KiB each); a PR that changes PR_CHANGED
# of them while main changes as many others, so the merge is a real three-way merge. Measures
# over PR_RUNS runs, with one keep-alive connection:
#   - the PR's details (commit events checked, mergeability computed by an in-memory merge);
#   - the details with ?diff=1 (the patch text from the merge base);
#   - one merge (a merge commit and the base branch moved).
# Baselines in the same run, on the same bare repository: git's own `git merge-tree
# --write-tree main refs/pr/1` (the same three-way merge) and `git diff <merge base>
# refs/pr/1` (the same patch), as processes. Figures, not pass/fail.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
files=${PR_FILES:-2000}
changed=${PR_CHANGED:-100}
runs=${PR_RUNS:-50}
bin=${WHARF_BIN:-$here/build/wharf}
out=$(mktemp -d /tmp/wharf-pr-bench-XXXX)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$out"
}
trap cleanup EXIT
if [ -z "${WHARF_BIN:-}" ]; then
  [ -f "$here/build/CMakeCache.txt" ] || cmake -S "$here" -B "$here/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$here/build" -j2 --target wharf >/dev/null
fi

"$bin" serve --port 0 --bind 127.0.0.1 --data-dir "$out/data" --log-level warn \
  --rate-limit-anonymous-api 0 --rate-limit-free-api 0 > "$out/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  port=$(grep -oE 'listening on http://[^:]+:[0-9]+' "$out/serve.log" | grep -oE '[0-9]+$' || true)
  [ -n "$port" ] && break
  sleep 0.1
done
token=$("$bin" admin token create --user admin --role write --data-dir "$out/data" 2>/dev/null | tail -1)

PORT=$port TOKEN=$token FILES=$files CHANGED=$changed RUNS=$runs REPO_DIR="$out/data/repos/models/admin/bench.git" \
python3 - <<'PY'
import base64, http.client, json, os, statistics, subprocess, time

port, token = int(os.environ["PORT"]), os.environ["TOKEN"]
files, changed, runs = int(os.environ["FILES"]), int(os.environ["CHANGED"]), int(os.environ["RUNS"])
repo_dir = os.environ["REPO_DIR"]
conn = http.client.HTTPConnection("127.0.0.1", port)

def call(method, path, body=None, ctype="application/json"):
    headers = {"Authorization": f"Bearer {token}"}
    if body is not None:
        headers["Content-Type"] = ctype
    conn.request(method, path, body=body, headers=headers)
    res = conn.getresponse()
    data = res.read()
    if res.status != 200:
        raise SystemExit(f"{method} {path}: {res.status} {data[:300]!r}")
    return data

def commit(rev, summary, contents, create_pr=False):
    lines = [json.dumps({"key": "header", "value": {"summary": summary, "description": ""}})]
    for path, text in contents.items():
        lines.append(json.dumps({"key": "file", "value": {"path": path, "content": base64.b64encode(text.encode()).decode(), "encoding": "base64"}}))
    q = "?create_pr=1" if create_pr else ""
    return json.loads(call("POST", f"/api/models/admin/bench/commit/{rev}{q}", "\n".join(lines), "application/x-ndjson"))

def body(i, tag):
    return "".join(f"{tag} line {j} of file {i}\n" for j in range(40))[:1024]

call("POST", "/api/repos/create", json.dumps({"name": "bench"}))
commit("main", "Initial", {f"dir{i % 20}/file{i}.txt": body(i, "base") for i in range(files)})
commit("main", "refs/pr/1 base", {"a.txt": "x\n"}, create_pr=True)  # PR #1: a dummy, keeps numbering simple
pr = commit("main", "Change files", {f"dir{i % 20}/file{i}.txt": body(i, "pr") for i in range(changed)}, create_pr=True)
num = int(pr["pullRequestUrl"].rsplit("/", 1)[1])
commit("main", "Move main", {f"dir{i % 20}/file{i}.txt": body(i, "main") for i in range(files - changed, files)})

def timed(fn, n):
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out

def p(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]

git = lambda *a: subprocess.run(["git", "-C", repo_dir, *a], check=True, capture_output=True)
base = git("merge-base", "refs/heads/main", f"refs/pr/{num}").stdout.decode().strip()
details = json.loads(call("GET", f"/api/models/admin/bench/discussions/{num}?diff=1"))
assert details["filesWithConflicts"] == [], details["filesWithConflicts"]
patch_bytes = len(details["diff"])
git_patch = git("diff", base, f"refs/pr/{num}").stdout

rows = {
    "details": timed(lambda: call("GET", f"/api/models/admin/bench/discussions/{num}"), runs),
    "details?diff=1": timed(lambda: call("GET", f"/api/models/admin/bench/discussions/{num}?diff=1"), runs),
    "git merge-tree": timed(lambda: git("merge-tree", "--write-tree", "refs/heads/main", f"refs/pr/{num}"), runs),
    "git diff": timed(lambda: git("diff", base, f"refs/pr/{num}"), runs),
}
merge = timed(lambda: call("POST", f"/api/models/admin/bench/discussions/{num}/merge", "{}"), 1)[0]
print(f"repo: {files} files of 1 KiB; the PR changes {changed}, main {changed} others; {runs} runs each")
print(f"patch: wharf {patch_bytes} bytes, git diff {len(git_patch)} bytes")
print(f"{'what':16} {'p50 ms':>8} {'p90 ms':>8}")
for name, xs in rows.items():
    print(f"{name:16} {p(xs, .5):8.2f} {p(xs, .9):8.2f}")
print(f"{'merge (once)':16} {merge:8.2f}")
r = lambda a, b: f"{p(rows[a], .5) / p(rows[b], .5):.3g}"
print(f"ratios (p50): details / git merge-tree = {r('details', 'git merge-tree')}, "
      f"details?diff=1 / (git merge-tree + git diff) = "
      f"{p(rows['details?diff=1'], .5) / (p(rows['git merge-tree'], .5) + p(rows['git diff'], .5)):.3g}")
PY
echo "peak RSS of wharf: $(( $(awk '/VmHWM/ {print $2}' "/proc/$pid/status") / 1024 )) MiB"
