#!/bin/sh
# Regenerates tests/fixtures/mspdi/golden/: every plan of tests/fixtures/tj/
# and examples/ exported to MSPDI, read by MPXJ's strict reader and
# rescheduled by its Microsoft scheduler; the dates it gave each task.
# Needs Java 17 and MPXJ's jars: MPXJ_LIB=/path/to/mpxj/lib (the `mpxj`
# package on PyPI ships them, see docs/export.md); MPXJ_VERSION names it in
# the fixtures.
set -eu
: "${MPXJ_LIB:?set MPXJ_LIB to the folder of MPXJ's jars}"
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin gantry
for plan in "$root"/tests/fixtures/tj/*.toml "$root"/examples/*.toml; do
    name=$(basename "$plan" .toml)
    "$root/target/release/gantry" export "$plan" --to mspdi -o "$work/$name.xml" >/dev/null
done
mkdir -p "$root/tests/fixtures/mspdi/golden"
java -Dmpxj.version="${MPXJ_VERSION:-unknown}" -cp "$MPXJ_LIB/*" "$root/tools/MspdiCheck.java" --golden "$root/tests/fixtures/mspdi/golden" "$work"/*.xml | tail -1
