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

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
. "$ROOT/bench/timing.sh"

echo "file: $FILE ($(du -h "$FILE" | cut -f1)); $(nproc) CPUs; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "label wall_s cpu_s load1"
for r in $(seq 1 "$ROUNDS"); do
    timed scgrn "$ROOT/app/bin/scgrn" inspect --stats "$FILE"
    timed anndata "$PY" "$ROOT/bench/anndata_stats.py" "$FILE"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
sw=$(median scgrn 2); sc=$(median scgrn 3); aw=$(median anndata 2); ac=$(median anndata 3)
echo "median scgrn   wall $sw s  cpu $sc s"
echo "median anndata wall $aw s  cpu $ac s"
echo "ratio scgrn/anndata: wall $(echo "scale=2; $sw / $aw" | bc)  cpu $(echo "scale=2; $sc / $ac" | bc)"
