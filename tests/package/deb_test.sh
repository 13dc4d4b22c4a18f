#!/bin/sh
# The .deb as a user gets it: built by cpack from this build, unpacked into a scratch root with
# dpkg -x, and run from there: --version, and a library scenario read from the installed files.
#   sh tests/package/deb_test.sh CPACK BUILD_DIR
set -eu
cpack=$1
build=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! "$cpack" --config "$build/CPackConfig.cmake" -G DEB -B "$work/package" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"
  echo "deb_test: cpack failed" >&2
  exit 1
fi
deb=$(ls "$work"/package/outbound_*.deb)
echo "built $(basename "$deb") ($(du -k "$deb" | cut -f1) KB)"
dpkg-deb --field "$deb" Package Version Architecture Depends
dpkg-deb --field "$deb" Depends | grep -q libsqlite3 || { echo "deb_test: Depends lacks SQLite" >&2; exit 1; }

dpkg -x "$deb" "$work/root"
bin="$work/root/usr/bin/outbound"
share="$work/root/usr/share/outbound"
"$bin" --version
for f in "$work/root/usr/share/doc/outbound/README.md" "$work/root/usr/share/doc/outbound/scenarios.md" \
         "$share/docs/scenario.schema.json" "$share/examples/definitions/account.json"; do
  [ -f "$f" ] || { echo "deb_test: $f is not installed" >&2; exit 1; }
done
# From another folder, so nothing of the source tree is found by accident.
cd "$work"
"$bin" run "$share/scenarios/library/sap_downtime.json" --out "$work/out" >"$work/run.log"
tail -n 3 "$work/run.log"
[ -f "$work/out/report.json" ] || { echo "deb_test: no report.json" >&2; exit 1; }
