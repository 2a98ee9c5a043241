#!/usr/bin/env bash
# Transfer benchmarks for the hub core, each against a baseline measured in the same run:
#   1. download: GET of a 1 GiB LFS file through /resolve, vs nginx serving the same bytes;
#   2. upload:   LFS PUT of the same file (hashed while streamed, fsynced), vs `sha256sum` of it;
#   3. small files: GET /resolve of a 1 KiB regular file (git blob; the same work as the HEAD
#                every hf_hub_download starts with, which wrk cannot send), requests/s with
#                16 keep-alive connections, vs nginx serving the same bytes.
# Figures, not pass/fail. Usage: bash bench/run.sh [size_mib]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
size_mib=${1:-1024}
out=$(mktemp -d /tmp/wharf-bench-XXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$out"' EXIT
command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

bin="$here/build/wharf"
file="$out/blob.bin"
head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$file"
oid=$(sha256sum "$file" | cut -d' ' -f1)
size=$(stat -c %s "$file")

"$bin" serve --port 0 --bind 127.0.0.1 --data-dir "$out/data" --log-level warn --lfs-multipart-threshold 1099511627776 \
  --rate-limit-anonymous-resolvers 1000000000 > "$out/serve.log" 2>&1 &  # wrk is one anonymous address; the limiter still runs
for _ in $(seq 50); do grep -q listening "$out/serve.log" && break; sleep 0.1; done
port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$out/serve.log" | grep -o '[0-9]*$')
token=$(grep -o 'hf_[A-Za-z0-9]*' "$out/serve.log")
url="http://127.0.0.1:$port"
auth="Authorization: Bearer $token"
curl -sf -H "$auth" -X POST "$url/api/repos/create" -d '{"name":"bench","organization":"admin"}' >/dev/null

secs() { python3 -c "import sys; print(f'{float(sys.argv[1]):.3f}')" "$1"; }
rate() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2])/1e9:.2f}')" "$size" "$1"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.2f}')" "$1" "$2"; }

# --- upload: the baseline does the same work as the server, hash then write and fsync ---
t0=$(date +%s.%N); sha256sum "$file" >/dev/null; dd if="$file" of="$out/copy.bin" bs=1M conv=fsync status=none; t1=$(date +%s.%N)
rm -f "$out/copy.bin"
base_up=$(python3 -c "print($t1-$t0)")
href=$(curl -sf -H "$auth" -X POST "$url/admin/bench.git/info/lfs/objects/batch" \
  -d "{\"operation\":\"upload\",\"transfers\":[\"basic\"],\"objects\":[{\"oid\":\"$oid\",\"size\":$size}]}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["objects"][0]["actions"]["upload"]["href"])')
t0=$(date +%s.%N); curl -sf -H 'Expect:' -T "$file" "$href" >/dev/null; t1=$(date +%s.%N)
up=$(python3 -c "print($t1-$t0)")
small_b64=$(head -c 1024 /dev/zero | tr '\0' 'x' | base64 -w0)
printf '{"key":"header","value":{"summary":"bench"}}\n{"key":"lfsFile","value":{"path":"blob.bin","algo":"sha256","oid":"%s","size":%s}}\n{"key":"file","value":{"path":"small.txt","content":"%s","encoding":"base64"}}\n' "$oid" "$size" "$small_b64" |
  curl -sf -H "$auth" -H 'Content-Type: application/x-ndjson' --data-binary @- "$url/api/models/admin/bench/commit/main" >/dev/null

# --- download ---
mkdir -p "$out/www"; ln "$file" "$out/www/blob.bin" 2>/dev/null || cp "$file" "$out/www/blob.bin"
head -c 1024 /dev/zero | tr '\0' 'x' > "$out/www/small.txt"
cat > "$out/nginx.conf" <<NGINX
user root; worker_processes 1; daemon off; pid $out/nginx.pid; error_log $out/nginx.err;
events { worker_connections 1024; }
http { access_log off; sendfile on; server { listen 127.0.0.1:18089; root $out/www; } }
NGINX
nginx -c "$out/nginx.conf" & sleep 0.5
cat "$file" > /dev/null  # both read from the page cache
dl() {
  local t0 t1 got
  t0=$(date +%s.%N); got=$(curl -sf -o /dev/null -w '%{size_download}' "$1"); t1=$(date +%s.%N)
  [ "$got" = "$size" ] || { echo "download of $1 returned $got bytes, not $size" >&2; exit 1; }
  python3 -c "print($t1-$t0)"
}
base_dl=$(dl "http://127.0.0.1:18089/blob.bin"); base_dl=$(dl "http://127.0.0.1:18089/blob.bin")
wharf_dl=$(dl "$url/admin/bench/resolve/main/blob.bin"); wharf_dl=$(dl "$url/admin/bench/resolve/main/blob.bin")

# --- small files ---
rps() { wrk -t2 -c16 -d5s "$1" | awk '/Requests\/sec/ {print $2}'; }
base_rps=$(rps "http://127.0.0.1:18089/small.txt")
wharf_rps=$(rps "$url/admin/bench/resolve/main/small.txt")
rss_kb=$(ps -o rss= -p "$(pgrep -f "wharf serve --port 0 --bind 127.0.0.1 --data-dir $out/data")")

echo "size: $size_mib MiB"
echo "upload (LFS PUT):        wharf $(secs "$up") s ($(rate "$up") GB/s) | sha256sum + dd conv=fsync $(secs "$base_up") s | ratio = $(ratio "$base_up" "$up")"
echo "download (resolve GET):  wharf $(secs "$wharf_dl") s ($(rate "$wharf_dl") GB/s) | nginx $(secs "$base_dl") s ($(rate "$base_dl") GB/s) | ratio = $(ratio "$base_dl" "$wharf_dl")"
echo "1 KiB resolve, 16 conns: wharf $wharf_rps req/s | nginx $base_rps req/s | ratio = $(ratio "$wharf_rps" "$base_rps")"
echo "wharf RSS after the run: $((rss_kb / 1024)) MiB"
