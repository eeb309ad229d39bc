#!/usr/bin/env bash
# A digest to N subscribers through a local SMTP server: aiosmtpd (Debian package
# python3-aiosmtpd) on loopback, accepting and discarding every message (its Sink handler), so
# the figure is marketdesk's sending rate, not a disk's. Reports messages/s and peak RSS.
# Usage: tools/bench/newsletter.sh [SUBSCRIBERS] [CONCURRENCY]   (results belong in BENCHMARKS.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
subscribers="${1:-100000}"
concurrency="${2:-16}"
port=12525
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT

cargo build --release -q
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Sink &
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
target/release/marketdesk bench newsletter --subscribers "$subscribers" \
    --smtp "smtp://127.0.0.1:$port" --concurrency "$concurrency"
