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
PYCODE='
import sys, anndata, numpy as np
a = anndata.read_h5ad(sys.argv[1])
x = a.X
rows = np.asarray(x.sum(axis=1)).ravel()
cols = np.asarray(x.sum(axis=0)).ravel()
print(a.n_obs, a.n_vars, float(rows.sum()), float(cols.sum()))
'
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

timed() {  # label command...: appends "label wall cpu load1" to $TMP/runs
    local label=$1
    shift
    /usr/bin/time -o "$TMP/t" -f "%e %U %S" "$@" > "$TMP/out" 2>&1 || { cat "$TMP/out" >&2; exit 1; }
    read -r wall user sys < "$TMP/t"
    echo "$label $wall $(echo "$user + $sys" | bc) $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$TMP/runs"
}

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
    timed "anndata:stats" "$PY" -c "$PYCODE" "$LARGE"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
median() {  # label column
    awk -v l="$1" -v c="$2" '$1 == l {print $c}' "$TMP/runs" | sort -g | awk '{v[NR]=$1} END {
        if (NR % 2) print v[(NR+1)/2]; else printf "%.2f\n", (v[NR/2] + v[NR/2+1]) / 2 }'
}
printf "%-16s %10s %10s\n" label "wall (med)" "cpu (med)"
for l in before:inspect after:inspect before:stats after:stats anndata:stats before:infer after:infer; do
    printf "%-16s %10s %10s\n" "$l" "$(median "$l" 2)" "$(median "$l" 3)"
done
