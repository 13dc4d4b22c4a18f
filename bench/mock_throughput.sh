#!/usr/bin/env bash
# Throughput of `outbound mock` (validates and records every notification) against a bare
# Beast+pugixml server that only parses and acks, both on one thread, measured in the same run:
#   wrk -t1 -c32 -d10s posting one-notification Account envelopes. Goal: mock/bare >= 0.8.
#   BUILD_DIR=build-release bench/mock_throughput.sh   (BUILD_TYPE=Release, DURATION=10s, ROUNDS=2)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
duration=${DURATION:-10s}

if [ "${SKIP_BUILD:-0}" != 1 ]; then  # SKIP_BUILD=1: measure the binaries already in BUILD_DIR
  export CCACHE_NOHASHDIR=true
  cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" -DOUTBOUND_BENCH=ON >/dev/null
  cmake --build "$build_dir" --target outbound bare_ack_server -j"${JOBS:-2}" >/dev/null
fi

pids=()
work=$(mktemp -d)
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Starts a server in the background; its stdout goes to $work/$1.out.
start() {
  local name=$1
  shift
  "$@" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
}
# The URL a server printed: "listening on http://127.0.0.1:PORT".
url_of() {
  for _ in $(seq 100); do
    if grep -q "listening on" "$work/$1.out"; then
      sed -n 's/^listening on //p' "$work/$1.out" | head -1
      return
    fi
    sleep 0.1
  done
  echo "mock_throughput: $1 did not start: $(cat "$work/$1.err")" >&2
  exit 3
}

# Requests per second wrk measured against a URL.
measure() {
  wrk -t1 -c32 -d"$duration" -s bench/post_envelope.lua "$1/" | awk '/^Requests\/sec:/ {print $2}'
}

start bare "$build_dir/bench/bare_ack_server" 0
start mock "$build_dir/cli/outbound" mock --listen 127.0.0.1:0
bare_url=$(url_of bare)
mock_url=$(url_of mock)

# A short warm-up of each, then the measured runs.
wrk -t1 -c32 -d2s -s bench/post_envelope.lua "$bare_url/" >/dev/null
wrk -t1 -c32 -d2s -s bench/post_envelope.lua "$mock_url/" >/dev/null
# Alternate the runs and keep each server's best, so that a burst of load from elsewhere on the
# machine does not decide the ratio.
bare=0
mock=0
for _ in $(seq "${ROUNDS:-2}"); do
  bare=$(awk -v a="$bare" -v b="$(measure "$bare_url")" 'BEGIN { print (b > a ? b : a) }')
  mock=$(awk -v a="$mock" -v b="$(measure "$mock_url")" 'BEGIN { print (b > a ? b : a) }')
done
ledger=$(curl -s "$mock_url/__admin/ledger" | tr -d ' \n' || true)

echo "bare Beast+pugixml ack server: $bare req/s"
echo "outbound mock:                 $mock req/s"
awk -v m="$mock" -v b="$bare" 'BEGIN { printf "ratio mock/bare:               %.2f (goal >= 0.80)\n", m / b }'
echo "mock ledger: $ledger"
