#!/usr/bin/env bash
# Whole-process start-up benchmark: the same short commands run by two built scgrn trees (BEFORE and AFTER, e.g. a
# checkout of main and this one, each built with `mvn -DskipTests package`), interleaved round by round so both see
# the same load on a shared machine; `inspect --stats` on the large file is paired with Python anndata reading it
# and summing X's rows and columns. Prints every run, then the median wall and CPU (user + system) seconds.
#
#   bench/startup-benchmark.sh BEFORE_ROOT AFTER_ROOT LARGE.h5ad [ROUNDS]
#
# Commands: inspect and infer (default model, -q --no-h5ad) on examples/pbmc68k_reduced.h5ad, inspect --stats on
# LARGE.h5ad (bench/inspect-stats-benchmark.sh says how to generate the 100k x 20k file). ROUNDS defaults to 3.
# Needs Debian's /usr/bin/python3 with python3-anndata.
set -euo pipefail

BEFORE=$(cd "$1" && pwd)
AFTER=$(cd "$2" && pwd)
LARGE=$3
ROUNDS=${4:-3}
EXAMPLE=$AFTER/examples/pbmc68k_reduced.h5ad
PY=/usr/bin/python3
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

. "$(dirname "$0")/timing.sh"

echo "before: $BEFORE; after: $AFTER; large: $LARGE; $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "label wall_s cpu_s load1"
for r in $(seq 1 "$ROUNDS"); do
    for side in before after; do
        root=$BEFORE
        [ "$side" = after ] && root=$AFTER
        timed "$side:inspect" "$root/app/bin/scgrn" inspect "$EXAMPLE"
        timed "$side:stats" "$root/app/bin/scgrn" inspect --stats "$LARGE"
        rm -rf "$TMP/infer"
        timed "$side:infer" "$root/app/bin/scgrn" infer "$EXAMPLE" -q --no-h5ad --out "$TMP/infer"
        # the manifest's timings_ms: read, prepare, atac, infer ... (ms)
        tr -d ' \n' < "$TMP/infer/manifest.json" | grep -o '"timings_ms":{[^}]*}' | sed "s/^/  $side /" || true
    done
    timed "anndata:stats" "$PY" "$(dirname "$0")/anndata_stats.py" "$LARGE"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-16s %10s %10s\n" label "wall (med)" "cpu (med)"
for l in before:inspect after:inspect before:stats after:stats anndata:stats before:infer after:infer; do
    printf "%-16s %10s %10s\n" "$l" "$(median "$l" 2)" "$(median "$l" 3)"
done
