#!/usr/bin/env bash
# Git transport benchmarks, each against a baseline measured in the same run:
#   1. clone: `git clone --no-checkout` of a generated repository (1,000 commits, 5,000 files,
#      ~200 MB pack; no LFS) over smart HTTP from wharf, vs `git daemon` (git://) serving the very
#      same bare directory. --no-checkout: writing 5,000 files is the same local work for both.
#      Also the bare pack stream (one upload-pack POST with curl, no client-side indexing) vs
#      `git upload-pack --stateless-rpc` writing straight into /dev/null: the floor, so the ratio
#      is all that HTTP adds (a pipe, wharf's copy into the socket, TCP, curl); and the CPU time
#      of the wharf process itself (its git children excluded) per clone and per stream.
#      The repository gets there by `git push` (timed once, vs a push through `git daemon` into a
#      bare repository with receive.fsckObjects as wharf sets it; wharf also runs its pre-receive
#      push rules), then is repacked with a bitmap index, as `git gc` leaves a bare repository.
#   2. LFS: `git lfs pull` (and `git lfs fetch` alone) of a 1 GiB object, in a clone made with
#      GIT_LFS_SKIP_SMUDGE=1, vs `curl` GET of the same object through /resolve into a file.
#   3. 16 concurrent clones of the repository of 1: wall time, aggregate MB/s of pack data, peak
#      RSS of the server process and peak PSS of its git children (sampled every 100 ms), vs the
#      same 16 clones from `git daemon`.
# Single runs (1, 2) are timed in interleaved rounds, wharf and baseline alternating, after a
# warm-up round (page cache); the median of 3 rounds is reported, with the client's CPU time
# (user + sys) where the client is the bottleneck.
# Figures, not pass/fail; about 4-6 minutes on 2 cores. Usage: bash bench/git.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin="$here/build/wharf"
out=$(mktemp -d /tmp/wharf-bench-git-XXXX)
cleanup() {
  local pids
  pids=$(jobs -p)
  if [ -n "$pids" ]; then kill $pids 2>/dev/null || true; wait $pids 2>/dev/null || true; fi
  rm -rf "$out"
}
trap cleanup EXIT

# Git configuration isolation (the server's git children see the same HOME).
export HOME="$out/home" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0 GIT_LFS_SKIP_SMUDGE=0
mkdir -p "$HOME"
git config --global user.name bench
git config --global user.email bench@example.com
git config --global init.defaultBranch main
git lfs install --skip-repo >/dev/null

now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mbps() { awk -v bytes="$1" -v s="$2" 'BEGIN { printf "%.0f", bytes / s / 1e6 }'; }
mib() { awk -v kb="$1" 'BEGIN { printf "%.0f", kb / 1024 }'; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ticks=$(getconf CLK_TCK)
child_cpu() { awk -v hz="$ticks" '{ printf "%.3f", ($16 + $17) / hz }' "/proc/$$/stat"; }  # of waited-for children
# `timed KEY cmd...`: runs `prep` (if set, untimed), then cmd; appends its wall time to T[KEY]
# and its CPU time (with its children's) to T[KEY_cpu].
declare -A T=()
timed() {
  local key=$1 t0 c0
  shift
  if [ -n "${prep:-}" ]; then eval "$prep"; fi
  c0=$(child_cpu)
  t0=$(now)
  "$@"
  T[$key]+=" $(since "$t0")"
  T[${key}_cpu]+=" $(awk -v a="$c0" -v b="$(child_cpu)" 'BEGIN { printf "%.3f", b - a }')"
}
# CPU time of the wharf process itself (its threads; not its git children), in seconds.
wharf_cpu() { awk -v hz="$ticks" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$wharf_pid/stat"; }
per_run() { awk -v a="$1" -v b="$(wharf_cpu)" -v n="$2" 'BEGIN { printf "%.3f", (b - a) / n }'; }
median() { printf '%s\n' ${T[$1]} | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# `rounds CMD`: CMD with "warm_" as its argument once (a warm-up, not reported), then with "" 3 times.
rounds() { local r; for r in warm_ "" "" ""; do "$1" "$r"; done; }

# --- the server ---
"$bin" serve --port 0 --bind 127.0.0.1 --data-dir "$out/data" --log-level warn \
  --lfs-multipart-threshold 1099511627776 > "$out/serve.log" 2>&1 &
wharf_pid=$!
for _ in $(seq 50); do grep -q listening "$out/serve.log" && break; sleep 0.1; done
port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$out/serve.log" | grep -o '[0-9]*$')
token=$(grep -o 'hf_[A-Za-z0-9]*' "$out/serve.log")
url="http://127.0.0.1:$port"
auth="Authorization: Bearer $token"
for name in clonebench lfsbench; do
  curl -sf -H "$auth" -X POST "$url/api/repos/create" -d "{\"name\":\"$name\",\"organization\":\"admin\"}" >/dev/null
done
repos="$out/data/repos/models/admin"  # where wharf keeps them: git daemon serves the same directory

note() { echo "# $*" >&2; }
note "generating the repository"
# --- the generated repository: deterministic, 60% base64 text, 40% random binary ---
cat > "$out/gen.py" <<'PY'
import base64, random, sys
rng = random.Random(20240601)
out = sys.stdout.buffer
mark = 0
files, paths = {}, []
def blob(data):
    global mark
    mark += 1
    out.write(b"blob\nmark :%d\ndata %d\n" % (mark, len(data)))
    out.write(data)
    out.write(b"\n")
    return mark
def text(n):
    b = base64.b64encode(rng.randbytes(n * 3 // 4))
    return b"\n".join(b[i:i + 76] for i in range(0, len(b), 76)) + b"\n"
def new_content(kind):
    n = max(200, min(int(rng.lognormvariate(10.0, 0.8)), 400_000))  # median 22 KB
    return text(n) if kind == "t" else rng.randbytes(n)
def modify(kind, old):  # text: a few lines replaced (a small delta); binary: rewritten
    if kind == "b":
        return new_content(kind)
    lines = old.split(b"\n")
    i = rng.randrange(len(lines))
    j = min(len(lines), i + rng.randrange(1, 60))
    return b"\n".join(lines[:i] + text(rng.randrange(100, 4000)).split(b"\n") + lines[j:])
ncommits, nfiles = int(sys.argv[1]), int(sys.argv[2])
for c in range(ncommits):
    changes = []
    for _ in range(nfiles // ncommits):  # each commit adds files...
        k = len(paths)
        kind = "t" if rng.random() < 0.6 else "b"
        p = "d%02d/s%02d/f%05d.%s" % (k % 50, (k // 50) % 10, k, "txt" if kind == "t" else "bin")
        paths.append(p)
        files[p] = (kind, new_content(kind))
        changes.append(p)
    for _ in range(3 if c else 0):  # ...and changes three existing ones
        p = rng.choice(paths)
        kind, old = files[p]
        files[p] = (kind, modify(kind, old))
        changes.append(p)
    marks = [(p, blob(files[p][1])) for p in changes]
    msg = b"commit %d\n" % c
    out.write(b"commit refs/heads/main\ncommitter Bench <bench@example.com> %d +0000\ndata %d\n%s"
              % (1700000000 + 60 * c, len(msg), msg))
    for p, m in marks:
        out.write(b"M 100644 :%d %s\n" % (m, p.encode()))
    out.write(b"\n")
PY
src="$out/src.git"
git init -q --bare "$src"
t0=$(now)
python3 "$out/gen.py" 1000 5000 | git -C "$src" fast-import --quiet
git -C "$src" repack -adq --window=0
gen_time=$(since "$t0")
head_oid=$(git -C "$src" rev-parse main)

# --- git daemon: serves wharf's repository directory (and a push target for the baseline) ---
dport=$(free_port)
git daemon --export-all --enable=receive-pack --base-path="$repos" --listen=127.0.0.1 --port="$dport" \
  --reuseaddr --max-connections=64 > "$out/daemon.log" 2>&1 &
daemon_pid=$!
daemon="git://127.0.0.1:$dport"
for _ in $(seq 50); do git ls-remote "$daemon/clonebench.git" >/dev/null 2>&1 && break; sleep 0.1; done

note "push"
# --- push: wharf vs git daemon into a fresh bare repository with wharf's receive checks ---
git init -q --bare "$repos/pushbase.git"
git -C "$repos/pushbase.git" config receive.fsckObjects true
t0=$(now); git -C "$src" push -q "$daemon/pushbase.git" '+refs/heads/*:refs/heads/*'; base_push=$(since "$t0")
rm -rf "$repos/pushbase.git"
t0=$(now); git -C "$src" push -q "http://admin:$token@127.0.0.1:$port/admin/clonebench" '+refs/heads/*:refs/heads/*'
wharf_push=$(since "$t0")
[ "$(git -C "$repos/clonebench.git" rev-parse main)" = "$head_oid" ] || { echo "push to wharf did not land" >&2; exit 1; }
git -C "$repos/clonebench.git" repack -adq --window=0 --write-bitmap-index
pack_bytes=$(stat -c %s "$repos"/clonebench.git/objects/pack/*.pack)
nobjects=$(git -C "$repos/clonebench.git" count-objects -v | awk '/in-pack/ {print $2}')

note "clone"
# --- 1. one clone ---
clone() { git clone -q --no-checkout "$1" "$out/clone"; }
prep='rm -rf "$out/clone"; sync'
clone_round() {
  timed "${1}base_clone" clone "$daemon/clonebench.git"
  timed "${1}wharf_clone" clone "$url/admin/clonebench"
}
srv0=$(wharf_cpu)
rounds clone_round
wharf_clone_srv=$(per_run "$srv0" 4)
prep=
[ "$(git -C "$out/clone" rev-parse main)" = "$head_oid" ] || { echo "clone from wharf is not the pushed history" >&2; exit 1; }
rm -rf "$out/clone"

# The pack stream alone: a protocol v2 fetch of main, no progress, read into /dev/null.
python3 - "$head_oid" > "$out/fetch.req" <<'PY'
import sys
def pkt(s): return b"%04x%s" % (len(s) + 4, s)
sys.stdout.buffer.write(pkt(b"command=fetch\n") + pkt(b"object-format=sha1\n") + b"0001" + pkt(b"thin-pack\n") +
                        pkt(b"ofs-delta\n") + pkt(b"no-progress\n") + pkt(b"want %s\n" % sys.argv[1].encode()) +
                        pkt(b"done\n") + b"0000")
PY
direct_pack() { GIT_PROTOCOL=version=2 git upload-pack --stateless-rpc "$repos/clonebench.git" < "$out/fetch.req" > /dev/null; }
wharf_pack() {
  got=$(curl -sf -H 'Content-Type: application/x-git-upload-pack-request' -H 'Git-Protocol: version=2' \
    --data-binary @"$out/fetch.req" -o /dev/null -w '%{size_download}' "$url/admin/clonebench.git/git-upload-pack")
}
stream_bytes=$(GIT_PROTOCOL=version=2 git upload-pack --stateless-rpc "$repos/clonebench.git" < "$out/fetch.req" | wc -c)
stream_round() {
  timed "${1}base_stream" direct_pack
  timed "${1}wharf_stream" wharf_pack
}
srv0=$(wharf_cpu)
rounds stream_round
wharf_stream_srv=$(per_run "$srv0" 4)
# Same pack, but pkt-line framing follows pipe timing: sizes differ by a few KB from run to run.
awk -v a="$got" -v b="$stream_bytes" 'BEGIN { exit !(a > 0.99 * b && a < 1.01 * b) }' ||
  { echo "upload-pack through wharf returned $got bytes, git upload-pack $stream_bytes" >&2; exit 1; }

note "16 concurrent clones"
# --- 3. 16 concurrent clones, with the server's memory sampled every 100 ms ---
cat > "$out/sample.py" <<'PY'
import os, sys, time
root, stop = int(sys.argv[1]), sys.argv[2]
def field(pid, name, file="status"):
    try:
        with open(f"/proc/{pid}/{file}") as f:
            for line in f:
                if line.startswith(name):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
def descendants():
    kids = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    s = f.read()
                kids.setdefault(int(s[s.rindex(")") + 2:].split()[1]), []).append(int(d))
            except (OSError, ValueError):
                pass
    out, todo = [], list(kids.get(root, []))
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out
peak_rss = peak_kids = peak_n = 0
while not os.path.exists(stop):
    peak_rss = max(peak_rss, field(root, "VmRSS:"))
    kids = descendants()
    peak_n = max(peak_n, len(kids))
    # PSS: the pack file each child maps is shared; RSS would count it once per child.
    peak_kids = max(peak_kids, sum(field(p, "Pss:", "smaps_rollup") for p in kids))
    time.sleep(0.1)
print(peak_rss, peak_kids, peak_n)
PY
concurrent() {  # concurrent <url> <server pid> <result prefix>
  local i t0 pids=() sampler
  rm -rf "$out/cc" "$out/stop"
  mkdir -p "$out/cc"
  sync
  python3 "$out/sample.py" "$2" "$out/stop" > "$out/sample.txt" &
  sampler=$!
  t0=$(now)
  for i in $(seq 16); do git clone -q --no-checkout "$1" "$out/cc/$i" & pids+=($!); done
  for i in "${pids[@]}"; do wait "$i"; done
  printf -v "$3_time" '%s' "$(since "$t0")"
  touch "$out/stop"
  wait "$sampler"
  read -r "$3_rss" "$3_kids" "$3_n" < "$out/sample.txt"
  for i in $(seq 16); do [ "$(git -C "$out/cc/$i" rev-parse main)" = "$head_oid" ] || { echo "concurrent clone $i failed" >&2; exit 1; }; done
  rm -rf "$out/cc"
}
concurrent "$daemon/clonebench.git" "$daemon_pid" base_cc
concurrent "$url/admin/clonebench" "$wharf_pid" wharf_cc
wharf_hwm=$(awk '/VmHWM/ {print $2}' "/proc/$wharf_pid/status")

note "LFS"
# --- 2. LFS: 1 GiB object uploaded through the batch API + PUT, committed with an lfsFile line ---
file="$out/blob.bin"
head -c $((1024 * 1024 * 1024)) /dev/urandom > "$file"
oid=$(sha256sum "$file" | cut -d' ' -f1)
size=$(stat -c %s "$file")
href=$(curl -sf -H "$auth" -X POST "$url/admin/lfsbench.git/info/lfs/objects/batch" \
  -d "{\"operation\":\"upload\",\"transfers\":[\"basic\"],\"objects\":[{\"oid\":\"$oid\",\"size\":$size}]}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["objects"][0]["actions"]["upload"]["href"])')
curl -sf -H 'Expect:' -T "$file" "$href" >/dev/null
attrs_b64=$(printf '*.bin filter=lfs diff=lfs merge=lfs -text\n' | base64 -w0)
printf '{"key":"header","value":{"summary":"lfs bench"}}\n{"key":"file","value":{"path":".gitattributes","content":"%s","encoding":"base64"}}\n{"key":"lfsFile","value":{"path":"blob.bin","algo":"sha256","oid":"%s","size":%s}}\n' "$attrs_b64" "$oid" "$size" |
  curl -sf -H "$auth" -H 'Content-Type: application/x-ndjson' --data-binary @- "$url/api/models/admin/lfsbench/commit/main" >/dev/null
rm -f "$file"
lfs_clone() { rm -rf "$out/lfs" "$out/curl.bin"; GIT_LFS_SKIP_SMUDGE=1 git clone -q "$url/admin/lfsbench" "$out/lfs"; }
check_size() {
  local got
  got=$(stat -c %s "$1")
  [ "$got" = "$size" ] || { echo "$1 has $got bytes, not $size" >&2; exit 1; }
}
curl_get() { curl -sf -o "$out/curl.bin" "$url/admin/lfsbench/resolve/main/blob.bin"; }
lfs() { git -C "$out/lfs" lfs "$@" > "$out/lfs.log" 2>&1 || { cat "$out/lfs.log" >&2; exit 1; }; }
prep='lfs_clone; sync'
lfs_round() {
  timed "${1}base_lfs" curl_get
  check_size "$out/curl.bin"
  timed "${1}lfs_fetch" lfs fetch
  timed "${1}lfs_pull" lfs pull
  check_size "$out/lfs/blob.bin"
}
rounds lfs_round
prep=
rm -rf "$out/lfs" "$out/curl.bin"

for k in base_clone wharf_clone base_stream wharf_stream base_lfs lfs_fetch lfs_pull; do
  printf -v "$k" '%s' "$(median "$k")"
  printf -v "${k}_cpu" '%s' "$(median "${k}_cpu")"
done
cc_bytes=$((16 * pack_bytes))
echo "repository: 1000 commits, 5000 files, $nobjects objects, pack $((pack_bytes / 1000000)) MB (generated in ${gen_time} s)"
echo "push (one run):          wharf $wharf_push s (with its pre-receive rules) | git daemon, receive.fsckObjects $base_push s | ratio = $(ratio "$base_push" "$wharf_push")"
echo "clone --no-checkout:     wharf $wharf_clone s ($(mbps "$pack_bytes" "$wharf_clone") MB/s, client CPU $wharf_clone_cpu s, wharf CPU $wharf_clone_srv s) | git daemon $base_clone s ($(mbps "$pack_bytes" "$base_clone") MB/s, client CPU $base_clone_cpu s) | ratio = $(ratio "$base_clone" "$wharf_clone")"
echo "pack stream (1 POST):    wharf $wharf_stream s ($(mbps "$stream_bytes" "$wharf_stream") MB/s, wharf CPU $wharf_stream_srv s) | git upload-pack alone $base_stream s ($(mbps "$stream_bytes" "$base_stream") MB/s) | ratio = $(ratio "$base_stream" "$wharf_stream")"
echo "16 concurrent clones:    wharf $wharf_cc_time s ($(mbps "$cc_bytes" "$wharf_cc_time") MB/s) | git daemon $base_cc_time s ($(mbps "$cc_bytes" "$base_cc_time") MB/s) | ratio = $(ratio "$base_cc_time" "$wharf_cc_time")"
echo "  peak memory:           wharf RSS $(mib "$wharf_cc_rss") MiB (VmHWM $(mib "$wharf_hwm") MiB), git children PSS $(mib "$wharf_cc_kids") MiB ($wharf_cc_n procs) | git daemon RSS $(mib "$base_cc_rss") MiB, children PSS $(mib "$base_cc_kids") MiB ($base_cc_n procs)"
echo "LFS 1 GiB download:      git lfs pull $lfs_pull s ($(mbps "$size" "$lfs_pull") MB/s, client CPU $lfs_pull_cpu s) | curl GET /resolve $base_lfs s ($(mbps "$size" "$base_lfs") MB/s, client CPU $base_lfs_cpu s) | ratio = $(ratio "$base_lfs" "$lfs_pull")"
echo "  git lfs fetch alone:   $lfs_fetch s ($(mbps "$size" "$lfs_fetch") MB/s, client CPU $lfs_fetch_cpu s) | ratio = $(ratio "$base_lfs" "$lfs_fetch")"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs (other work on the machine skews every figure)"
