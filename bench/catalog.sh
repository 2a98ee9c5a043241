#!/usr/bin/env bash
# Discovery benchmark at the Hub's scale: a generated catalog of 1,000,000 models, 200,000
# datasets and 350,000 Spaces (`wharf admin generate-catalog`), then a mix of listing queries
# (searches of common and rare substrings, tag filters, authors, combined filters, every
# sort, deep pages through the Link cursor, limit 20/100, expand) from 16 keep-alive
# connections for 30 s (bench/loadgen.cpp). Baseline in the same run: nginx serving a static
# JSON file of the median response size to the same load generator.
# Reports generation time, size on disk, start-up time and RSS, the latency table, the
# ratios to nginx and the RSS after the run. Figures, not pass/fail.
#
# Environment: CATALOG_MODELS, CATALOG_DATASETS, CATALOG_SPACES, CATALOG_SEED (the catalog;
# a data dir per combination is kept under /tmp/wharf-catalog-bench and reused),
# CATALOG_CONNECTIONS (16), CATALOG_DURATION (30 s), CATALOG_WARMUP (5 s).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
models=${CATALOG_MODELS:-1000000}
datasets=${CATALOG_DATASETS:-200000}
spaces=${CATALOG_SPACES:-350000}
seed=${CATALOG_SEED:-1}
conns=${CATALOG_CONNECTIONS:-16}
duration=${CATALOG_DURATION:-30}
warmup=${CATALOG_WARMUP:-5}
root=/tmp/wharf-catalog-bench
data="$root/data-$models-$datasets-$spaces-seed$seed"
mkdir -p "$root"
out=$(mktemp -d "$root/run-XXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$out"
}
trap cleanup EXIT
command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }

[ -f "$here/build/CMakeCache.txt" ] || cmake -S "$here" -B "$here/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$here/build" -j2 --target wharf wharf_loadgen >/dev/null
bin="$here/build/wharf"
loadgen="$here/build/wharf_loadgen"
mib() { python3 -c "import sys; print(f'{int(sys.argv[1])/1048576:.1f}')" "$1"; }
size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }

# --- the catalog: generated once per combination of counts and seed ---
if [ ! -f "$data/generate.log" ]; then
  rm -rf "$data"
  mkdir -p "$data"
  "$bin" admin generate-catalog --models "$models" --datasets "$datasets" --spaces "$spaces" --seed "$seed" \
    --data-dir "$data" --log-level warn > "$data/generate.tmp"
  mv "$data/generate.tmp" "$data/generate.log"
  reused="generated in this run"
else
  reused="reused from $data; time recorded when it was generated"
fi
db_bytes=$(size_of "$data/wharf.db")
wal_bytes=$(size_of "$data/wharf.db-wal")

# --- the server ---
t0=$(date +%s.%N)
"$bin" serve --port 0 --bind 127.0.0.1 --data-dir "$data" --log-level warn \
  --rate-limit-anonymous-api 1000000000 > "$out/serve.log" 2>&1 &  # one anonymous address; the limiter still runs
pid=$!
pids+=("$pid")
for _ in $(seq 6000); do grep -q listening "$out/serve.log" && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
grep -q listening "$out/serve.log" || { echo "wharf did not start:" >&2; cat "$out/serve.log" >&2; exit 1; }
t1=$(date +%s.%N)
startup=$(python3 -c "print(f'{$t1-$t0:.2f}')")
port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$out/serve.log" | grep -o '[0-9]*$')
url="http://127.0.0.1:$port"
rss_start=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")

# --- the query mix: "class<TAB>path" lines, repeated to weigh them ---
python3 - "$url" "$out/mix.txt" <<'PY'
import json, re, sys, urllib.parse, urllib.request
base, out = sys.argv[1], sys.argv[2]

def get(path):
    with urllib.request.urlopen(base + path, timeout=120) as r:
        return r.status, r.headers.get("Link", ""), json.loads(r.read())

def next_path(link):
    m = re.search(r'<([^>]+)>;\s*rel="next"', link)
    if not m:
        return None
    u = urllib.parse.urlsplit(m.group(1))
    return u.path + "?" + u.query

status, _, probe = get("/api/models?limit=1")
if status != 200 or not isinstance(probe, list):
    sys.exit("GET /api/models does not answer a listing")

q = urllib.parse.quote
lines = []
def add(cls, path, weight=1):
    lines.extend([f"{cls}\t{path}"] * weight)

for s in ["llama", "bert", "qwen", "gguf", "instruct", "whisper", "lora", "7b"]:
    add("search_common", f"/api/models?search={s}&limit=20", 2)
add("search_common", "/api/models?search=llama&sort=downloads&limit=20", 2)
# Rare: full ids and handles of repos in the long tail, from the newest repos.
_, _, recent = get("/api/models?sort=createdAt&limit=100")
famous = {"mradermacher", "RichardErkhov", "bartowski", "TheBloke", "unsloth"}
tail = [m["id"] for m in recent if m["id"].split("/")[0] not in famous][:12]
for rid in tail:
    add("search_rare", f"/api/models?search={q(rid, safe='')}&limit=20")
    add("search_rare", f"/api/models?search={q(rid.split('/')[0])}&limit=20")
for p in ["text-generation", "text-classification", "automatic-speech-recognition", "image-classification",
          "reinforcement-learning", "voice-activity-detection"]:
    add("filter_pipeline", f"/api/models?pipeline_tag={p}&limit=20", 2)
for lib in ["transformers", "diffusers", "peft", "gguf", "timm", "setfit"]:
    add("filter_library", f"/api/models?library={lib}&limit=20", 2)
for f in ["filter=ko", "filter=ja", "filter=en&sort=downloads"]:
    add("filter_language", f"/api/models?{f}&limit=20", 2)
add("filter_language", "/api/datasets?filter=language:fr&limit=20", 2)
for lic in ["mit", "llama3.1", "gemma", "apache-2.0"]:
    add("filter_license", f"/api/models?filter=license:{lic}&limit=20", 2)
for ds in ["stanfordnlp/imdb", "tatsu-lab/alpaca", "mozilla-foundation/common_voice_11_0"]:
    add("filter_dataset", f"/api/models?filter=dataset:{q(ds, safe='')}&limit=20", 2)
for a in ["mradermacher", "TheBloke", "Qwen", "google"] + [t.split("/")[0] for t in tail[:4]]:
    add("author", f"/api/models?author={q(a)}&limit=20", 2)
for c in ["pipeline_tag=text-generation&library=transformers&filter=license:apache-2.0&sort=likes",
          "filter=gguf&search=llama&sort=downloads",
          "author=bartowski&filter=gguf&sort=lastModified",
          "pipeline_tag=text-classification&filter=en&filter=dataset:stanfordnlp%2Fimdb",
          "filter=base_model:quantized:meta-llama%2FLlama-3.1-8B&sort=downloads",
          "library=peft&filter=4-bit&sort=createdAt"]:
    add("combined", f"/api/models?{c}&limit=20", 2)
for s in ["downloads", "likes", "lastModified", "createdAt", "trendingScore"]:
    add("sort", f"/api/models?sort={s}&limit=20", 3)
add("sort", "/api/models?limit=20", 3)
add("sort_limit100", "/api/models?sort=downloads&limit=100", 3)
add("sort_limit100", "/api/models?sort=likes&limit=100&filter=text-generation", 3)
# Deep pages: follow the Link header, as the clients do.
for start, pages in [("/api/models?sort=downloads&limit=100", 20), ("/api/models?filter=license:mit&sort=likes&limit=20", 10),
                     ("/api/models?search=bert&limit=20", 10), ("/api/datasets?sort=createdAt&limit=50", 10)]:
    path = start
    for _ in range(pages):
        _, link, _ = get(path)
        nxt = next_path(link)
        if not nxt:
            break
        path = nxt
    add("deep_page", path, 3)
js = "&".join(f"expand={e}" for e in ["pipeline_tag", "private", "gated", "downloads", "likes", "lastModified"])
add("expand", f"/api/models?sort=downloads&limit=20&{js}", 3)
add("expand", "/api/models?search=mistral&limit=20&expand=tags&expand=library_name&expand=createdAt", 3)
for d in ["sort=downloads", "search=alpaca", "filter=task_categories:text-generation&sort=likes",
          "filter=size_categories:n%3C1K", "filter=format:parquet&filter=language:en"]:
    add("datasets", f"/api/datasets?{d}&limit=20", 2)
for s in ["sort=likes", "sort=trendingScore", "search=chat", "filter=gradio&sort=createdAt", "filter=docker"]:
    add("spaces", f"/api/spaces?{s}&limit=20", 2)

bad = []
for path in sorted(set(l.split("\t")[1] for l in lines)):
    try:
        get(path)
    except Exception as e:  # a 4xx/5xx raises
        bad.append(f"{path}: {e}")
if bad:
    sys.exit("queries that fail:\n" + "\n".join(bad))
open(out, "w").write("\n".join(lines) + "\n")
print(f"query mix: {len(lines)} lines, {len(set(lines))} distinct queries", file=sys.stderr)
PY

"$loadgen" --url "$url" --paths "$out/mix.txt" --connections "$conns" --duration "$duration" --warmup "$warmup" \
  > "$out/wharf.txt"
rss_end=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
kill "$pid"

# --- baseline: nginx serving a JSON file of the median response size ---
median=$(awk '$1 == "ALL" {print $9}' "$out/wharf.txt")
mkdir -p "$out/www"
# A JSON array of one string, exactly the median size: nginx only moves the bytes.
python3 -c 'import sys; n = max(int(sys.argv[1]), 4); open(sys.argv[2], "w").write("[\"" + "x" * (n - 4) + "\"]")' \
  "$median" "$out/www/median.json"
cat > "$out/nginx.conf" <<NGINX
user root; worker_processes auto; daemon off; pid $out/nginx.pid; error_log $out/nginx.err;
events { worker_connections 1024; }
http { access_log off; default_type application/json; server { listen 127.0.0.1:18090; root $out/www; } }
NGINX
nginx -c "$out/nginx.conf" &
pids+=("$!")
sleep 0.5
printf 'static\t/median.json\n' > "$out/nginx-mix.txt"
"$loadgen" --url "http://127.0.0.1:18090" --paths "$out/nginx-mix.txt" --connections "$conns" --duration "$duration" \
  --warmup "$warmup" > "$out/nginx.txt"

field() { awk -v col="$2" '$1 == "ALL" {print $col}' "$1"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/max(float(sys.argv[2]), 1e-9):.2f}')" "$1" "$2"; }
yes_no() { python3 -c "import sys; print('yes' if float(sys.argv[1]) < float(sys.argv[2]) else 'NO')" "$1" "$2"; }
wp95=$(field "$out/wharf.txt" 5); wp99=$(field "$out/wharf.txt" 6); wrps=$(field "$out/wharf.txt" 3)
np95=$(field "$out/nginx.txt" 5); nrps=$(field "$out/nginx.txt" 3)

echo "catalog:   $models models, $datasets datasets, $spaces spaces (seed $seed), $reused"
echo "           $(grep '^generated' "$data/generate.log")"
echo "on disk:   $(mib $((db_bytes + wal_bytes))) MiB (wharf.db $(mib "$db_bytes") MiB + wal $(mib "$wal_bytes") MiB)"
echo "start-up:  $startup s to listening; RSS $((rss_start / 1024)) MiB"
echo "load:      $conns connections, $duration s after $warmup s warm-up"
cat "$out/wharf.txt"
echo "baseline:  nginx, static JSON of the median size ($median bytes)"
grep -E '^(class|ALL|errors)' "$out/nginx.txt"
echo "ratios:    p95 wharf/nginx = $(ratio "$wp95" "$np95"), req/s wharf/nginx = $(ratio "$wrps" "$nrps")"
echo "targets:   p95 $wp95 ms < 20 ms: $(yes_no "$wp95" 20); p99 $wp99 ms < 50 ms: $(yes_no "$wp99" 50)"
echo "RSS after the run: $((rss_end / 1024)) MiB (peak $((hwm / 1024)) MiB)"
