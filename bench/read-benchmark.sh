#!/usr/bin/env bash
# io-anndata read benchmark: scgrn full read of X into CSR, scgrn row-block streaming under a small heap, and
# Python anndata.read_h5ad, all on the same .h5ad, in one run. Prints every run and a summary with ratios.
#
#   bench/read-benchmark.sh [FILE.h5ad]
#
# Without FILE, a synthetic CSR file is generated once by bench/make_large_h5ad.py into $BENCH_DIR (default
# ${TMPDIR:-/tmp}/scgrn-bench) with CELLS x GENES at DENSITY. Settings (environment, defaults in brackets):
#   CELLS [100000]  GENES [20000]  DENSITY [0.0175]  BENCH_DIR  REPEATS [2]  BLOCK_ROWS [10000]
#   FULL_XMX [4g] heap for the full reads   STREAM_XMX [512m] heap for streaming   SKIP_PYTHON [0]
#   WRITE [0]: 1 also times H5adWriter writing X back (to FILE.rewrite.h5ad)
# Needs: JDK 17, Maven with the project's dependencies in ~/.m2 (runs offline), Debian /usr/bin/python3 with
# python3-anndata, python3-scipy.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CELLS=${CELLS:-100000}
GENES=${GENES:-20000}
DENSITY=${DENSITY:-0.0175}
REPEATS=${REPEATS:-2}
BLOCK_ROWS=${BLOCK_ROWS:-10000}
FULL_XMX=${FULL_XMX:-4g}
STREAM_XMX=${STREAM_XMX:-512m}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/scgrn-bench}
PY=/usr/bin/python3

mkdir -p "$BENCH_DIR"
FILE=${1:-$BENCH_DIR/csr_${CELLS}x${GENES}_${DENSITY}.h5ad}
if [[ ! -f "$FILE" ]]; then
    echo "generating $FILE" >&2
    "$PY" "$ROOT/bench/make_large_h5ad.py" --cells "$CELLS" --genes "$GENES" --density "$DENSITY" "$FILE"
fi

cd "$ROOT"
mvn -q -o -B compile -pl io-anndata
CPFILE="$BENCH_DIR/classpath.txt"
# test scope: brings slf4j-simple, the logging backend the library leaves to its users
mvn -q -o -B dependency:build-classpath -pl io-anndata -Dmdep.includeScope=test -Dmdep.outputFile="$CPFILE" >/dev/null
# private copy of the compiled classes (other builds in this tree may rewrite io-anndata/target meanwhile) and
# the benchmark compiled on its own, so that no test sources are needed
rm -rf "$BENCH_DIR/classes" "$BENCH_DIR/bench-classes"
cp -r io-anndata/target/classes "$BENCH_DIR/classes"
if [[ ! -f "$BENCH_DIR/classes/io/scgrn/anndata/MatrixBlocks.class" ]]; then
    echo "io-anndata/target/classes is incomplete (another build running?); try again" >&2
    exit 1
fi
javac -d "$BENCH_DIR/bench-classes" -cp "$BENCH_DIR/classes:$(cat "$CPFILE")" \
    io-anndata/src/test/java/io/scgrn/anndata/bench/ReadBenchmark.java
CP="$BENCH_DIR/bench-classes:$BENCH_DIR/classes:$(cat "$CPFILE")"
JVM_OPTS=(--add-opens=java.base/java.nio=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
MAIN=io.scgrn.anndata.bench.ReadBenchmark

OUT="$BENCH_DIR/results.txt"
: > "$OUT"
echo "file: $FILE ($(du -h "$FILE" | cut -f1)); $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT"
java -Xmx"$FULL_XMX" "${JVM_OPTS[@]}" -cp "$CP" "$MAIN" full "$FILE" "$BLOCK_ROWS" "$REPEATS" | tee -a "$OUT"
java -Xmx"$FULL_XMX" "${JVM_OPTS[@]}" -cp "$CP" "$MAIN" x "$FILE" "$BLOCK_ROWS" "$REPEATS" | tee -a "$OUT"
java -Xmx"$STREAM_XMX" "${JVM_OPTS[@]}" -cp "$CP" "$MAIN" stream "$FILE" "$BLOCK_ROWS" "$REPEATS" | tee -a "$OUT"
if [[ "${WRITE:-0}" == 1 ]]; then
    # H5adWriter writing the same X (read first, untimed) to FILE.rewrite.h5ad, gzip 4
    java -Xmx"$FULL_XMX" "${JVM_OPTS[@]}" -cp "$CP" "$MAIN" write "$FILE" "$BLOCK_ROWS" "$REPEATS" | tee -a "$OUT"
fi
if [[ "${SKIP_PYTHON:-0}" != 1 ]]; then
    "$PY" - "$FILE" "$REPEATS" <<'PYEOF' | tee -a "$OUT"
import resource, sys, time
import anndata, numpy as np
path, repeats = sys.argv[1], int(sys.argv[2])
for r in range(repeats):
    t = time.perf_counter()
    c = time.process_time()
    a = anndata.read_h5ad(path)
    secs = time.perf_counter() - t
    cpu = time.process_time() - c
    x = a.X
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"RESULT mode=python run={r + 1} seconds={secs:.3f} cpuSeconds={cpu:.3f} nnz={x.nnz} sum={float(x.data.sum(dtype=np.float64)):.1f} "
          f"indexSum={int(x.indices.sum(dtype=np.int64))} maxRssMiB={rss:.1f} anndata={anndata.__version__}")
    del a, x
PYEOF
fi

# summary: best time per mode, ratios against Python, heap against the CSR size, checksums agree
awk '
/^RESULT/ {
    delete f
    for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    m = f["mode"]
    if (!(m in best) || f["seconds"] + 0 < best[m]) best[m] = f["seconds"] + 0
    if (!(m in cpu) || f["cpuSeconds"] + 0 < cpu[m]) cpu[m] = f["cpuSeconds"] + 0
    if (f["peakHeapMiB"] + 0 > peak[m]) peak[m] = f["peakHeapMiB"] + 0
    if ("csrMiB" in f) csr = f["csrMiB"] + 0
    if ("maxRssMiB" in f) rss = f["maxRssMiB"] + 0
    sums[m] = f["nnz"] " " f["sum"] " " f["indexSum"]
}
END {
    print "---- summary (best of runs; wall time is inflated when other processes share the CPUs, CPU time less so)"
    for (m in best) printf "%-16s %8.2f s wall %8.2f s CPU  checksum %s%s\n", m, best[m], cpu[m], sums[m], (m in peak && peak[m] > 0) ? sprintf("  peak heap %.0f MiB = %.2f x CSR (%.0f MiB)", peak[m], peak[m] / csr, csr) : ""
    if ("python" in best) {
        for (m in best) if (m != "python") printf "python/%s ratio: wall %.2f, CPU %.2f (>1: scgrn faster)\n", m, best["python"] / best[m], cpu["python"] / cpu[m]
        printf "python max RSS %.0f MiB = %.2f x CSR\n", rss, rss / csr
    }
    ok = 1; ref = ""
    for (m in sums) { if (ref == "") ref = sums[m]; else if (sums[m] != ref) ok = 0 }
    print ok ? "checksums agree across modes" : "CHECKSUMS DIFFER across modes"
}' "$OUT" | tee -a "$OUT"
