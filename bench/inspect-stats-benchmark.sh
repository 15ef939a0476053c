#!/usr/bin/env bash
# Whole-process `scgrn inspect --stats` against Python anndata reading the same .h5ad and summing X's rows and
# columns (what --stats reports, in numbers), paired: each round runs both, one after the other, so both see the
# same load on a shared machine. Prints every run and the medians of wall and CPU (user + system) seconds.
#
#   bench/inspect-stats-benchmark.sh FILE.h5ad [ROUNDS]
#
# Without FILE, bench/make_large_h5ad.py generates the 100,000 x 20,000 CSR file (density 0.0175, gzip) of
# bench/read-benchmark.sh into $BENCH_DIR (default ${TMPDIR:-/tmp}/scgrn-bench). ROUNDS defaults to 5.
# Extra JVM options for scgrn: SCGRN_JAVA_OPTS. Needs app/bin/scgrn built (mvn -DskipTests package) and Debian's
# /usr/bin/python3 with python3-anndata.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/scgrn-bench}
FILE=${1:-$BENCH_DIR/csr_100000x20000_0.0175.h5ad}
ROUNDS=${2:-5}
PY=/usr/bin/python3
if [[ ! -f "$FILE" ]]; then
    mkdir -p "$BENCH_DIR"
    echo "generating $FILE" >&2
    "$PY" "$ROOT/bench/make_large_h5ad.py" --cells 100000 --genes 20000 --density 0.0175 "$FILE"
fi

PYCODE='
import sys, anndata, numpy as np
a = anndata.read_h5ad(sys.argv[1])
x = a.X
rows = np.asarray(x.sum(axis=1)).ravel()
cols = np.asarray(x.sum(axis=0)).ravel()
det_r = np.diff(x.indptr) if hasattr(x, "indptr") else (x != 0).sum(axis=1)
print(a.n_obs, a.n_vars, float(rows.sum()), float(cols.sum()), int(det_r.sum()))
'

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
timed() {  # label command...: appends "label wall cpu" to $TMP/runs
    local label=$1
    shift
    /usr/bin/time -o "$TMP/t" -f "%e %U %S" "$@" > "$TMP/out" 2>&1 || { cat "$TMP/out" >&2; exit 1; }
    read -r wall user sys < "$TMP/t"
    cpu=$(echo "$user + $sys" | bc)
    echo "$label $wall $cpu" | tee -a "$TMP/runs"
}

echo "file: $FILE ($(du -h "$FILE" | cut -f1)); $(nproc) CPUs; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "label wall_s cpu_s"
for r in $(seq 1 "$ROUNDS"); do
    timed scgrn "$ROOT/app/bin/scgrn" inspect --stats "$FILE"
    timed anndata "$PY" -c "$PYCODE" "$FILE"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
median() {  # label column
    awk -v l="$1" -v c="$2" '$1 == l {print $c}' "$TMP/runs" | sort -g | awk '{v[NR]=$1} END {
        if (NR % 2) print v[(NR+1)/2]; else printf "%.2f\n", (v[NR/2] + v[NR/2+1]) / 2 }'
}
sw=$(median scgrn 2); sc=$(median scgrn 3); aw=$(median anndata 2); ac=$(median anndata 3)
echo "median scgrn   wall $sw s  cpu $sc s"
echo "median anndata wall $aw s  cpu $ac s"
echo "ratio scgrn/anndata: wall $(echo "scale=2; $sw / $aw" | bc)  cpu $(echo "scale=2; $sc / $ac" | bc)"
