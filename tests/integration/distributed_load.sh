#!/bin/sh
# docs/distributed.md played on one machine: one `outbound mock`, SHARDS (default 4) processes of
# `outbound load --shard K/SHARDS` that start together at one --start-at, then `outbound report
# merge` of their reports with the thresholds given as this script's arguments. The merge decides:
# its exit code is the script's. RATE (default 400/s) is the whole test's, DURATION (default 1s).
# Leaves shardK/, merged/ and ledger.json (what the mock received) in the current folder.
set -eu
SHARDS=${SHARDS:-4}
RATE=${RATE:-400/s}
DURATION=${DURATION:-1s}

mkfifo mock.lines
outbound mock --listen 127.0.0.1:0 > mock.lines 2> mock.log &
mock_pid=$!
trap 'kill $mock_pid 2> /dev/null || true' EXIT
exec 3< mock.lines
read -r _ _ endpoint <&3   # listening on http://127.0.0.1:PORT
read -r _ _ admin <&3      # admin on http://127.0.0.1:PORT

# Every shard gets the same start, a few seconds ahead: enough for all of them to be ready.
start_at=@$(( $(date +%s) + 3 ))
pids=
for k in $(seq 1 "$SHARDS"); do
  outbound load --endpoint "$endpoint/ack" --rate "$RATE" --duration "$DURATION" \
    --shard "$k/$SHARDS" --start-at "$start_at" --out "shard$k" > "shard$k.log" 2>&1 &
  pids="$pids $!"
done
# A shard that failed leaves no report (or one that says it stopped early): the merge fails then.
for pid in $pids; do wait "$pid" || true; done

outbound mock-ctl --admin "$admin" ledger > ledger.json
outbound report merge shard*/report.json --out merged "$@"
