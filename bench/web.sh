#!/usr/bin/env bash
# Web UI benchmark: the server time of each kind of page (repo card, files, file, commits,
# commit diff, listings, home, profiles) on a demo hub (tests/tools/demo_content.mjs) over a
# generated catalog of WEB_MODELS models (+10% datasets and Spaces), measured by the load
# generator (bench/loadgen.cpp) with one connection (latency = server time + loopback) and
# then with 8 (throughput). Baseline in the same run: nginx serving the card page's HTML as a
# static file to the same load generator. Figures, not pass/fail; the target is a repo page
# under 50 ms.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
models=${WEB_MODELS:-100000}
duration=${WEB_DURATION:-10}
out=$(mktemp -d /tmp/wharf-web-bench-XXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$out"
}
trap cleanup EXIT
command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }
bash "$here/scripts/install-deps.sh" --tests >/dev/null

[ -f "$here/build/CMakeCache.txt" ] || cmake -S "$here" -B "$here/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$here/build" -j2 --target wharf wharf_loadgen >/dev/null
bin="$here/build/wharf"
loadgen="$here/build/wharf_loadgen"

"$bin" admin generate-catalog --models "$models" --datasets $((models / 10)) --spaces $((models / 10)) \
  --data-dir "$out/data" --log-level warn > /dev/null
"$bin" serve --port 0 --bind 127.0.0.1 --data-dir "$out/data" --log-level warn --signup open \
  --rate-limit-anonymous-pages 0 --rate-limit-anonymous-api 0 --rate-limit-free-pages 0 > "$out/serve.log" 2>&1 &
pid=$!
pids+=("$pid")
for _ in $(seq 1 600); do
  port=$(grep -oE 'listening on http://[^:]+:[0-9]+' "$out/serve.log" | grep -oE '[0-9]+$' || true)
  [ -n "$port" ] && break
  sleep 0.1
done
url="http://127.0.0.1:$port"
(cd "$here/tests" && node tools/fill_demo.mjs "$url") > "$out/pages.txt"

"$loadgen" --url "$url" --paths "$out/pages.txt" --connections 1 --duration "$duration" --warmup 2 > "$out/one.txt"
"$loadgen" --url "$url" --paths "$out/pages.txt" --connections 8 --duration "$duration" --warmup 2 > "$out/eight.txt"
rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")

# --- baseline: nginx serving the card page as a static file ---
mkdir -p "$out/www"
curl -s "$url/wharf-lab/sentiment-bert" > "$out/www/card.html"
cat > "$out/nginx.conf" <<NGINX
user root; worker_processes auto; daemon off; pid $out/nginx.pid; error_log $out/nginx.err;
events { worker_connections 1024; }
http { access_log off; default_type text/html; server { listen 127.0.0.1:18091; root $out/www; } }
NGINX
nginx -c "$out/nginx.conf" &
pids+=("$!")
sleep 0.5
printf 'static\t/card.html\n' > "$out/nginx-pages.txt"
"$loadgen" --url "http://127.0.0.1:18091" --paths "$out/nginx-pages.txt" --connections 1 --duration "$duration" --warmup 2 > "$out/nginx-one.txt"
"$loadgen" --url "http://127.0.0.1:18091" --paths "$out/nginx-pages.txt" --connections 8 --duration "$duration" --warmup 2 > "$out/nginx-eight.txt"

cls() { awk -v c="$2" -v col="$3" '$1 == c {print $col}' "$1"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/max(float(sys.argv[2]), 1e-9):.3g}')" "$1" "$2"; }
echo "catalog: $models models, $((models / 10)) datasets, $((models / 10)) spaces + the demo hub; $duration s per run"
echo "one connection (latency per page kind):"
cat "$out/one.txt"
echo "eight connections:"
grep -E '^(class|ALL|errors)' "$out/eight.txt"
echo "baseline: nginx, the card page's HTML ($(stat -c %s "$out/www/card.html") bytes) as a static file"
grep -E '^(class|ALL)' "$out/nginx-one.txt"
grep -E '^(ALL)' "$out/nginx-eight.txt"
echo "ratios: card p50 wharf/nginx = $(ratio "$(cls "$out/one.txt" card 4)" "$(cls "$out/nginx-one.txt" ALL 4)"), \
req/s (8 conns) wharf/nginx = $(ratio "$(cls "$out/eight.txt" ALL 3)" "$(cls "$out/nginx-eight.txt" ALL 3)")"
echo "peak RSS: $((rss / 1024)) MiB"
