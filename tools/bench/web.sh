#!/usr/bin/env bash
# Article-page throughput and latency of `marketdesk serve` against nginx serving the same bytes
# as a static file, both on loopback, with wrk (Debian packages wrk and nginx-light).
# Usage: tools/bench/web.sh [CONNECTIONS] [SECONDS]   (results belong in BENCHMARKS.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
connections="${1:-64}"
seconds="${2:-15}"
threads=2
work="$(mktemp -d)"
chmod 755 "$work"
trap 'kill $(jobs -p) 2>/dev/null || true; [[ -f $work/nginx.pid ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; rm -rf "$work"' EXIT

cargo build --release -q
bin=target/release/marketdesk
db="$work/bench.db"
"$bin" --db "$db" demo --no-serve >/dev/null
slug="$("$bin" --db "$db" articles --json | head -1 | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["slug"])')"
"$bin" --db "$db" serve --addr 127.0.0.1:18080 >/dev/null 2>&1 &
for _ in $(seq 50); do curl -fs "http://127.0.0.1:18080/" >/dev/null && break; sleep 0.2; done

# The same bytes nginx will serve: the page as the server sends it without compression.
mkdir -p "$work/root/articles"
curl -fs "http://127.0.0.1:18080/articles/$slug" -o "$work/root/articles/$slug.html"
cat > "$work/nginx.conf" <<CONF
worker_processes 2;
user root;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:18081;
    root $work/root;
    location / { default_type text/html; try_files \$uri.html =404; }
  }
}
CONF
nginx -c "$work/nginx.conf"
sleep 0.5
curl -fs "http://127.0.0.1:18081/articles/$slug" >/dev/null

echo "article: /articles/$slug ($(wc -c < "$work/root/articles/$slug.html") bytes)"
echo "== marketdesk serve"
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:18080/articles/$slug"
echo "== nginx static file"
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:18081/articles/$slug"
