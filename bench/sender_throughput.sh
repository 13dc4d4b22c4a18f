#!/usr/bin/env bash
# The sender end to end, as a user runs `outbound send` (queueing included, from the command's
# start to its summary), against the lean bare ack server (bench/bare_ack_server.cpp, no
# per-request timer) and against what `wrk -t1` gets from that server in the same round:
#  (a) `send --batch 1 --connections 32` of RECORDS_A new records, SQLite store, vs `wrk -c32`
#      posting a one-notification envelope (issue 14's goal: >= 0.4x); the in-memory store beside
#      it, to show what SQLite costs;
#  (b) `send --batch 100` of RECORDS_B new records, SQLite store: notifications/s end to end
#      (goal >= 150,000/s), beside `wrk -c10` posting a 100-notification envelope (the physical
#      limit of this machine, in notifications/s);
#  (c) RECORDS_BIG queued with `--for 0s`, then resumed: notifications/s end to end (goal >=
#      350,000/s), peak RSS of the resuming sender (goal <= 64 MB, /usr/bin/time -v) and its first
#      delivery after its start.
# Each figure is the median of ROUNDS rounds (default 5); each round measures wrk, then the sender.
# With BASELINE=DIR, each round also runs DIR/cli/outbound (another version's build) right after
# this one, against the same server and in (c) on a copy of the same queued store, and the
# summary gives its medians beside: what a change bought, measured on the same host.
# Usage: bench/sender_throughput.sh [BUILD_DIR]   (default: build; needs cli/outbound and
#        bench/bare_ack_server built there). Sizes: RECORDS_A (50000), RECORDS_B (500000),
#        RECORDS_BIG (1000000); ROUNDS_BIG (3) for (c); WRK_SECONDS (3).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
outbound=$build/cli/outbound
bare=$build/bench/bare_ack_server
records_a=${RECORDS_A:-50000}
records_b=${RECORDS_B:-500000}
records_big=${RECORDS_BIG:-1000000}
rounds=${ROUNDS:-5}
rounds_big=${ROUNDS_BIG:-3}
wrk_seconds=${WRK_SECONDS:-3}
definition=examples/definitions/account.json
[ -x "$bare" ] || { echo "sender_throughput: $bare not built (TESTS=ON scripts/setup)" >&2; exit 2; }
baseline=
if [ -n "${BASELINE:-}" ]; then
  baseline=$BASELINE/cli/outbound
  [ -x "$baseline" ] || { echo "sender_throughput: BASELINE: $baseline not built" >&2; exit 2; }
fi
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$bare" >"$work/server.out" 2>&1 &
server_pid=$!
url=
for _ in $(seq 200); do
  url=$(grep -o 'http://[0-9.]*:[0-9]*' "$work/server.out" | head -1 || true)
  [ -n "$url" ] && break
  sleep 0.05
done
[ -n "$url" ] || { echo "server did not start: $(cat "$work/server.out")" >&2; exit 1; }
echo "server: bare_ack_server at $url; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# wrk posts the envelope `send` would send (bench/post_file.lua): one notification, or a hundred.
"$outbound" envelope --definition "$definition" --notifications 1 >"$work/one.xml"
"$outbound" envelope --definition "$definition" --notifications 100 >"$work/hundred.xml"
wrk_rate() {  # CONNECTIONS ENVELOPE -> requests/s
  ENVELOPE=$2 wrk -t1 -c"$1" -d"${wrk_seconds}s" -s bench/post_file.lua "$url/ack" |
    awk '/Requests\/sec/ {print $2}'
}
# The summary's "end to end N s, R notifications/s".
end_to_end() { grep -o 'end to end [0-9.]* s, [0-9.]* notifications/s' "$1" | awk '{print $6}'; }
ratio() { awk -v a="$1" -v w="$2" 'BEGIN {printf "%.2f", a / w}'; }
median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }
send_new() {  # STORE RECORDS BATCH CONNECTIONS OUT [BINARY]
  rm -f "$1" "$1-wal" "$1-shm"
  "${6:-$outbound}" send --definition "$definition" --endpoint "$url/ack" --store "$1" \
    --records "$2" --batch "$3" --connections "$4" >"$5"
}

# (a) one notification per message, 32 connections as wrk has.
ratios=() memory_ratios=() base_ratios=()
for round in $(seq "$rounds"); do
  w=$(wrk_rate 32 "$work/one.xml")
  send_new "$work/a.db" "$records_a" 1 32 "$work/a.out"
  send_new :memory: "$records_a" 1 32 "$work/a_memory.out"
  a=$(end_to_end "$work/a.out") m=$(end_to_end "$work/a_memory.out")
  ratios+=("$(ratio "$a" "$w")") memory_ratios+=("$(ratio "$m" "$w")")
  line="round $round: wrk -c32 $w requests/s; send --batch 1: SQLite $a notifications/s"
  line+=" (${ratios[-1]}x), memory store $m (${memory_ratios[-1]}x)"
  if [ -n "$baseline" ]; then
    send_new "$work/a.db" "$records_a" 1 32 "$work/a_base.out" "$baseline"
    base_ratios+=("$(ratio "$(end_to_end "$work/a_base.out")" "$w")")
    line+="; baseline SQLite $(end_to_end "$work/a_base.out") (${base_ratios[-1]}x)"
  fi
  echo "$line"
done
echo "(a) send --batch 1, SQLite, end to end vs wrk -c32: median $(median "${ratios[@]}")x" \
  "of ${ratios[*]} (goal >= 0.4)"
echo "(a) the same from the memory store: median $(median "${memory_ratios[@]}")x of ${memory_ratios[*]}"
[ -z "$baseline" ] ||
  echo "(a) the baseline, SQLite: median $(median "${base_ratios[@]}")x of ${base_ratios[*]}"

# (b) a hundred notifications per message, new records.
b_rates=() limits=() base_b_rates=()
for round in $(seq "$rounds"); do
  w=$(wrk_rate 10 "$work/hundred.xml")
  limits+=("$(awk -v w="$w" 'BEGIN {printf "%.0f", w * 100}')")
  send_new "$work/b.db" "$records_b" 100 10 "$work/b.out"
  b_rates+=("$(end_to_end "$work/b.out")")
  line="round $round: wrk -c10, 100 notifications each: ${limits[-1]} notifications/s;"
  line+=" send --batch 100 of $records_b new: ${b_rates[-1]} notifications/s"
  if [ -n "$baseline" ]; then
    send_new "$work/b.db" "$records_b" 100 10 "$work/b_base.out" "$baseline"
    base_b_rates+=("$(end_to_end "$work/b_base.out")")
    line+="; baseline ${base_b_rates[-1]}"
  fi
  echo "$line"
done
echo "(b) send --batch 100, SQLite, $records_b new records end to end: median $(median "${b_rates[@]}")" \
  "notifications/s of ${b_rates[*]} (goal >= 150000); wrk's limit median $(median "${limits[@]}")"
[ -z "$baseline" ] ||
  echo "(b) the baseline: median $(median "${base_b_rates[@]}") notifications/s of ${base_b_rates[*]}"
rm -f "$work"/b.db*

# (c) resume a million.
c_rates=() rss=() firsts=() base_c_rates=()
for round in $(seq "$rounds_big"); do
  rm -f "$work"/big.db* "$work"/copy.db*
  start=$(date +%s.%N)
  "$outbound" send --definition "$definition" --endpoint "$url/ack" --store "$work/big.db" \
    --records "$records_big" --for 0s >"$work/queue.out" || true  # exit 1: all still queued
  queue_s=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')
  size=$(du -h "$work/big.db" | cut -f1)
  if [ -n "$baseline" ]; then  # the same queue for the baseline (a closed store has no -wal)
    cp "$work/big.db" "$work/copy.db"
  fi
  /usr/bin/time -v "$outbound" send --store "$work/big.db" --batch 100 --connections 10 \
    >"$work/big.out" 2>"$work/big.time"
  c_rates+=("$(end_to_end "$work/big.out")")
  rss+=("$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); printf "%.0f", $2 / 1024}' "$work/big.time")")
  firsts+=("$(grep -o 'first delivery after [0-9]* ms' "$work/big.out" | awk '{print $4}')")
  line="round $round: queued $records_big in $queue_s s ($size); resumed at ${c_rates[-1]}"
  line+=" notifications/s, peak RSS ${rss[-1]} MB, first delivery after ${firsts[-1]} ms"
  if [ -n "$baseline" ]; then
    "$baseline" send --store "$work/copy.db" --batch 100 --connections 10 >"$work/copy.out"
    base_c_rates+=("$(end_to_end "$work/copy.out")")
    line+="; baseline ${base_c_rates[-1]}"
  fi
  echo "$line"
done
echo "(c) resuming $records_big, SQLite, --batch 100: median $(median "${c_rates[@]}") notifications/s" \
  "of ${c_rates[*]} (goal >= 350000); peak RSS median $(median "${rss[@]}") MB (goal <= 64);" \
  "first delivery after $(median "${firsts[@]}") ms"
[ -z "$baseline" ] ||
  echo "(c) the baseline: median $(median "${base_c_rates[@]}") notifications/s of ${base_c_rates[*]}"
