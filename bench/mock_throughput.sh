#!/usr/bin/env bash
# Throughput of `outbound mock` (validates and records every notification) against a bare
# Beast+pugixml server that only parses and acks, without a per-request deadline (the leanest
# baseline) and with one (as the mock keeps), all on one thread, measured in the same run:
#   wrk -t1 -c32 posting one-notification Account envelopes, the three servers in turn, ROUNDS
#   rounds; the median of each counts. Goal (issue 14): mock >= 0.75x the lean bare server.
#   bench/mock_throughput.sh   (BUILD_DIR=build, DURATION=3s, ROUNDS=5, SKIP_BUILD=1; BUILD_TYPE
#   for a BUILD_DIR not configured yet, RelWithDebInfo by default)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
duration=${DURATION:-3s}

if [ "${SKIP_BUILD:-0}" != 1 ]; then  # SKIP_BUILD=1: measure the binaries already in BUILD_DIR
  export CCACHE_NOHASHDIR=true
  # A configured directory keeps its configuration (scripts/setup's build/ is RelWithDebInfo);
  # only a new one is configured here.
  [ -f "$build_dir/CMakeCache.txt" ] ||
    cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" -DOUTBOUND_BENCH=ON >/dev/null
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
start deadline "$build_dir/bench/bare_ack_server" --deadline 0
start mock "$build_dir/cli/outbound" mock --listen 127.0.0.1:0
bare_url=$(url_of bare)
deadline_url=$(url_of deadline)
mock_url=$(url_of mock)

# A short warm-up of each, then the measured rounds, alternating so that a burst of load from
# elsewhere on the machine falls on all three alike.
for url in "$bare_url" "$deadline_url" "$mock_url"; do
  wrk -t1 -c32 -d1s -s bench/post_envelope.lua "$url/" >/dev/null
done
bare=() deadline=() mock=()
for round in $(seq "${ROUNDS:-5}"); do
  bare+=("$(measure "$bare_url")")
  deadline+=("$(measure "$deadline_url")")
  mock+=("$(measure "$mock_url")")
  echo "round $round: bare ${bare[-1]}, bare+deadline ${deadline[-1]}, mock ${mock[-1]} req/s"
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }
b=$(median "${bare[@]}") d=$(median "${deadline[@]}") m=$(median "${mock[@]}")
ledger=$(curl -s "$mock_url/__admin/ledger" | tr -d ' \n' || true)

echo "bare ack server, no deadline:   $b req/s (median)"
echo "bare ack server, 60 s deadline: $d req/s"
echo "outbound mock:                  $m req/s"
awk -v m="$m" -v b="$b" -v d="$d" 'BEGIN { printf "ratio mock/bare: %.2f (goal >= 0.75), mock/bare+deadline: %.2f\n", m / b, m / d }'
echo "mock ledger: $ledger"
