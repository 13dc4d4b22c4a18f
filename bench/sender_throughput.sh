#!/usr/bin/env bash
# Sender benchmarks against the bare ack server, all in one run so the ratios compare like with like:
#  (a) `outbound send --batch 1` with the durable (SQLite) store: notifications/s, against what
#      `wrk -c32` gets from the same server with a one-notification SOAP request (goal >= 0.5x),
#      and the same from the in-memory store beside it;
#  (b) `--batch 100`: notifications/s (goal >= 300,000/s) with the in-memory store, the store
#      the issue names for benchmarks; the same figure for the durable store is printed beside it;
#  (c) one million queued notifications: peak RSS of the sender that resumes them (goal <= 150 MB,
#      /usr/bin/time -v) and the time from its start to the first delivery (goal <= 2 s).
# Usage: bench/sender_throughput.sh [BUILD_DIR]      (default: build; needs cli/outbound and
#        bench/bare_ack_server built there; falls back to `outbound mock` without the latter)
# Sizes: RECORDS_A (default 100000), RECORDS_B (default 500000), RECORDS_BIG (default 1000000),
# WRK_SECONDS (default 3). The machine is noisy: (a) is the median of RUNS_A rounds (default 5),
# (b) of RUNS_B runs (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
outbound=$build/cli/outbound
bare=${BARE_ACK_SERVER:-$build/bench/bare_ack_server}
records_a=${RECORDS_A:-100000}
records_b=${RECORDS_B:-500000}
runs_a=${RUNS_A:-5}
runs_b=${RUNS_B:-3}
records_big=${RECORDS_BIG:-1000000}
wrk_seconds=${WRK_SECONDS:-3}
definition=examples/definitions/account.json
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The server prints its URL ("... http://127.0.0.1:PORT ...") on its first line.
if [ -x "$bare" ]; then
  "$bare" >"$work/server.out" 2>&1 &
  server_name="bare_ack_server"
else
  "$outbound" mock --listen 127.0.0.1:0 >"$work/server.out" 2>&1 &
  server_name="outbound mock (bare_ack_server not built)"
fi
server_pid=$!
url=
for _ in $(seq 200); do
  url=$(grep -o 'http://[0-9.]*:[0-9]*' "$work/server.out" | head -1 || true)
  [ -n "$url" ] && break
  sleep 0.05
done
[ -n "$url" ] || { echo "server did not start: $(cat "$work/server.out")" >&2; exit 1; }
echo "server: $server_name at $url"

# wrk baseline: the same one-notification request, 32 connections, one thread like the sender.
"$outbound" envelope --definition "$definition" --notifications 1 >"$work/one.xml"
cat >"$work/post.lua" <<LUA
local f = io.open("$work/one.xml", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "text/xml; charset=utf-8"
wrk.headers["SOAPAction"] = '""'
LUA
rate_of() { grep -o '[0-9.]* notifications/s' "$1" | awk '{print $1}'; }
ratio() { awk -v a="$1" -v w="$2" 'BEGIN {printf "%.2f", a / w}'; }
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }

# (a) one notification per message, 32 connections as wrk has. The machine's speed drifts within
# seconds, so each round measures wrk and then the sender, and the median round counts.
ratios=()
memory_ratios=()
for round in $(seq "$runs_a"); do
  wrk -t1 -c32 -d"${wrk_seconds}s" -s "$work/post.lua" "$url/ack" >"$work/wrk.out"
  wrk_rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
  rm -f "$work"/a.db*
  "$outbound" send --definition "$definition" --endpoint "$url/ack" --store "$work/a.db" \
    --records "$records_a" --batch 1 --connections 32 >"$work/a.out" || true
  a_rate=$(rate_of "$work/a.out")
  # The same from the in-memory store: what the durable store costs beside the network.
  "$outbound" send --definition "$definition" --endpoint "$url/ack" --store :memory: \
    --records "$records_a" --batch 1 --connections 32 >"$work/a_memory.out" || true
  memory_rate=$(rate_of "$work/a_memory.out")
  ratios+=("$(ratio "$a_rate" "$wrk_rps")")
  memory_ratios+=("$(ratio "$memory_rate" "$wrk_rps")")
  echo "round $round: wrk -c32 $wrk_rps requests/s; send --batch 1: SQLite $a_rate notifications/s" \
    "(${ratios[-1]}x), memory store $memory_rate (${memory_ratios[-1]}x)"
done
echo "(a) send --batch 1 (SQLite) vs wrk -c32: median $(median "${ratios[@]}")x of ${ratios[*]} (goal >= 0.5)"
echo "(a) send --batch 1 (memory store) vs wrk -c32: median $(median "${memory_ratios[@]}")x of ${memory_ratios[*]}"
tail -1 "$work/a.out"

# (b) a hundred notifications per message from the in-memory store; the rate counts from the
# first delivery attempt, after the records are made.
b_rates=()
for _ in $(seq "$runs_b"); do
  "$outbound" send --definition "$definition" --endpoint "$url/ack" --store :memory: \
    --records "$records_b" --batch 100 --connections 10 >"$work/b.out" || true
  b_rates+=("$(rate_of "$work/b.out")")
done
b_rate=$(median "${b_rates[@]}")
echo "(b) send --batch 100 (memory store): median $b_rate notifications/s of ${b_rates[*]} (goal >= 300000)"

# (c) queue a million without sending (--for 0s), then resume them under /usr/bin/time -v; that
# run is also (b): --batch 100 on the durable store.
start=$(date +%s.%N)
"$outbound" send --definition "$definition" --endpoint "$url/ack" --store "$work/big.db" \
  --records "$records_big" --for 0s >"$work/queue.out" || true
echo "queued $records_big notifications in $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}') s ($(du -h "$work/big.db" | cut -f1) store)"
/usr/bin/time -v "$outbound" send --store "$work/big.db" --batch 100 --connections 10 \
  >"$work/big.out" 2>"$work/big.time" || true
durable_rate=$(rate_of "$work/big.out")
rss_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$work/big.time")
first_ms=$(grep -o 'first delivery after [0-9]* ms' "$work/big.out" | awk '{print $4}')
echo "(b) send --batch 100 (SQLite, resuming $records_big): $durable_rate notifications/s"
echo "(c) resume of $records_big queued: peak RSS $((rss_kb / 1024)) MB (goal <= 150), first delivery after ${first_ms} ms (goal <= 2000)"
tail -1 "$work/big.out"
