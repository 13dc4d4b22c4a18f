#!/usr/bin/env bash
# Instructions per request or notification of each path, counted by valgrind's callgrind: unlike
# requests per second on a shared 2-core virtual machine, the count is the same from run to run,
# so it shows what a change bought even while other work runs. It counts work, not waiting:
# the throughput scripts (mock_throughput.sh, sender_throughput.sh, load_vs_wrk.sh) still give
# the figures users see. Every process runs under callgrind, so this takes a few minutes.
#   bench/instructions.sh [BUILD_DIR]    (default build; needs cli/outbound and bench/bare_ack_server)
# Prints, per path, the instructions of the whole process (startup included, a few percent of it)
# divided by the requests or notifications it handled:
#   mock, bare_ack_server: a one-notification request (wrk -c4 for WRK_SECONDS, default 8)
#   send: queueing one record (--for 0s), resuming one notification (--batch 100 and --batch 1),
#         one new record queued and delivered (--batch 100 and --batch 1)
#   load: one message (1000/s for 10 s: under callgrind it falls behind, and sends them all)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
outbound=$(realpath "$build/cli/outbound")
bare=$(realpath "$build/bench/bare_ack_server")
definition=examples/definitions/account.json
records=${RECORDS:-20000}
command -v valgrind >/dev/null || { echo "instructions: valgrind missing (apt-get install valgrind)" >&2; exit 2; }
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

total_of() { callgrind_annotate "$1" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'; }
per() { awk -v t="$1" -v n="$2" 'BEGIN {printf "%.1fk", t / n / 1000}'; }
wait_url() {  # FILE -> the first http URL printed in it
  for _ in $(seq 300); do
    grep -o 'http://[0-9.]*:[0-9]*' "$1" 2>/dev/null | head -1 && return 0
    sleep 0.1
  done
  echo "instructions: no server started: $(cat "$1")" >&2
  exit 1
}

"$outbound" envelope --definition "$definition" --notifications 1 >"$work/one.xml"
export ENVELOPE=$work/one.xml  # for bench/post_file.lua

# A server under callgrind, loaded by wrk for a fixed time; stopped with SIGINT so that callgrind
# writes its counts.
server() {  # NAME COMMAND...
  local name=$1
  shift
  valgrind --tool=callgrind --callgrind-out-file="$work/$name.cg" "$@" >"$work/$name.out" 2>&1 &
  local pid=$!
  local url
  url=$(wait_url "$work/$name.out")
  local n
  n=$(wrk -t1 -c4 -d"${WRK_SECONDS:-8}s" -s bench/post_file.lua "$url/ack" | awk '/requests in/ {print $1}')
  kill -INT "$pid"
  wait "$pid" || true
  echo "$name: $(per "$(total_of "$work/$name.cg")" "$n") instructions per one-notification request ($n requests)"
}
server mock "$outbound" mock --listen 127.0.0.1:0
server bare_ack_server "$bare"

# The sender against the lean server (not under callgrind).
"$bare" >"$work/target.out" 2>&1 &
pids+=($!)
url=$(wait_url "$work/target.out")
counted() {  # NAME DIVISOR COMMAND... -> instructions of COMMAND per DIVISOR
  local name=$1 n=$2
  shift 2
  valgrind --tool=callgrind --callgrind-out-file="$work/$name.cg" "$@" >"$work/$name.out" 2>&1 || true
  per "$(total_of "$work/$name.cg")" "$n"
}
send_new() { "$outbound" send --definition "$definition" --endpoint "$url/ack" --store "$1" --records "$records" "${@:2}"; }

echo "send, queueing (--for 0s): $(counted queue "$records" "$outbound" send --definition "$definition" \
  --endpoint "$url/ack" --store "$work/q.db" --records "$records" --for 0s) instructions per record"
for batch in 100 1; do
  rm -f "$work"/r.db*
  send_new "$work/r.db" --for 0s >/dev/null || true
  echo "send --batch $batch, resuming: $(counted "resume$batch" "$records" "$outbound" send \
    --store "$work/r.db" --batch "$batch" --connections 10) instructions per notification"
  rm -f "$work"/n.db*
  echo "send --batch $batch, new records queued and delivered: $(counted "new$batch" "$records" \
    "$outbound" send --definition "$definition" --endpoint "$url/ack" --store "$work/n.db" \
    --records "$records" --batch "$batch") instructions per notification"
done
echo "load (1000/s for 10s): $(counted load 10000 "$outbound" load --endpoint "$url/ack" \
  --rate 1000/s --duration 10s --out "$work/load") instructions per message"
