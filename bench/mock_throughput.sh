#!/usr/bin/env bash
# Throughput of `outbound mock` (validates and records every notification) against a bare
# Beast+pugixml server that only parses and acks, both on one thread, measured in the same run:
#   wrk -t1 -c32 -d10s posting one-notification Account envelopes. Goal: mock/bare >= 0.8.
#   BUILD_DIR=build-release bench/mock_throughput.sh        (DURATION=10s by default)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
duration=${DURATION:-10s}

export CCACHE_NOHASHDIR=true
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DOUTBOUND_BENCH=ON >/dev/null
cmake --build "$build_dir" --target outbound bare_ack_server -j"${JOBS:-2}" >/dev/null

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# Starts a server printing "listening on http://127.0.0.1:PORT" and echoes its URL.
start() {
  local out
  out=$(mktemp)
  "$@" >"$out" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 100); do
    if grep -q "listening on" "$out"; then
      sed -n 's/^listening on //p' "$out" | head -1
      return
    fi
    sleep 0.1
  done
  echo "mock_throughput: $1 did not start" >&2
  exit 3
}

# Requests per second wrk measured against a URL.
measure() {
  wrk -t1 -c32 -d"$duration" -s bench/post_envelope.lua "$1/" | awk '/^Requests\/sec:/ {print $2}'
}

bare_url=$(start "$build_dir/bench/bare_ack_server" 0)
mock_url=$(start "$build_dir/cli/outbound" mock --listen 127.0.0.1:0)

# A short warm-up of each, then the measured runs.
DURATION=2s wrk -t1 -c32 -d2s -s bench/post_envelope.lua "$bare_url/" >/dev/null
wrk -t1 -c32 -d2s -s bench/post_envelope.lua "$mock_url/" >/dev/null
bare=$(measure "$bare_url")
mock=$(measure "$mock_url")
ledger=$(curl -s "$mock_url/__admin/ledger" | tr -d ' \n' || true)

echo "bare Beast+pugixml ack server: $bare req/s"
echo "outbound mock:                 $mock req/s"
awk -v m="$mock" -v b="$bare" 'BEGIN { printf "ratio mock/bare:               %.2f (goal >= 0.80)\n", m / b }'
echo "mock ledger: $ledger"
