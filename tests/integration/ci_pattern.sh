#!/bin/sh
# The CI pattern of the README, step for step: start the mock, start an outage, run the sender,
# see nothing acked, end the outage, wait for every notification, check that every record ends
# with its newest values, keep the ledger. Exits non-zero when a notification is missing. RECORDS (default 20) records are sent; EXPECT (default RECORDS) must arrive.
set -eu
RECORDS=${RECORDS:-20}
EXPECT=${EXPECT:-$RECORDS}

mkfifo mock.lines
outbound mock --listen 127.0.0.1:0 --log requests > mock.lines 2> mock.log &
mock_pid=$!
send_pid=
trap 'kill $mock_pid $send_pid 2> /dev/null || true' EXIT
exec 3< mock.lines
read -r _ _ endpoint <&3   # listening on http://127.0.0.1:PORT
read -r _ _ admin <&3      # admin on http://127.0.0.1:PORT

outbound mock-ctl --admin "$admin" outage start refuse
outbound send --definition examples/definitions/account.json --endpoint "$endpoint/ack" \
  --store ci.db --records "$RECORDS" --retry fixed:1s &
send_pid=$!
if outbound mock-ctl --admin "$admin" wait --acked --notifications 1 --timeout 2s; then
  echo "a notification was acked during the outage" >&2
  exit 1
fi
outbound mock-ctl --admin "$admin" outage end
outbound mock-ctl --admin "$admin" wait --notifications "$EXPECT" --timeout "${WAIT_TIMEOUT:-2m}"
wait $send_pid
outbound mock-ctl --admin "$admin" verify --store ci.db
outbound mock-ctl --admin "$admin" ledger --export --out ledger.ndjson
