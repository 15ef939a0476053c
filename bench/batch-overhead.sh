#!/usr/bin/env bash
# Batch overhead benchmark (not a test): N small tasks in one `scgrn batch` run versus the sum of N separate
# `scgrn infer` runs of the same tasks (pearson on the 80-cell test fixture, seeds 0..N-1, one job at a time).
#
#   mvn -q -B -DskipTests package && bench/batch-overhead.sh            # N=50 by default; results in bench/out/
#
# Prints wall and CPU seconds of both (CPU time is the figure to compare on a shared machine) and their ratios.
# Target: batch <= 1.2 x the sum of single runs.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCGRN="$ROOT/app/bin/scgrn"
N=${N:-50}
OUT=${OUT:-$ROOT/bench/out/batch-overhead}
rm -rf "$OUT"
mkdir -p "$OUT/single"
cp "$ROOT/app/src/test/resources/batch/tiny.h5ad" "$ROOT/app/src/test/resources/batch/tfs.txt" "$OUT/"
{
  echo "name: overhead"
  echo "device: cpu"
  echo "seeds: [$(seq -s, 0 $((N - 1)))]"
  echo "datasets: [{path: tiny.h5ad, tfs: tfs.txt}]"
  echo "models: [pearson]"
} > "$OUT/plan.yaml"

# bash's `time` keyword: wall, user and system seconds of everything inside (JVMs included).
TIMEFORMAT='%R %U %S'
{ time "$SCGRN" batch "$OUT/plan.yaml" --out "$OUT/batch" --jobs 1 --quiet > "$OUT/batch.log" 2>&1 ; } 2> "$OUT/batch.time"
{ time for s in $(seq 0 $((N - 1))); do
  "$SCGRN" infer "$OUT/tiny.h5ad" --model pearson --tfs "$OUT/tfs.txt" --device cpu --seed "$s" \
    --out "$OUT/single/$s" --quiet > "$OUT/single.log" 2>&1
done ; } 2> "$OUT/single.time"

/usr/bin/python3 - "$OUT" "$N" <<'PY'
import json, sys
out, n = sys.argv[1], int(sys.argv[2])
bw, bu, bs = map(float, open(f"{out}/batch.time").read().split())
sw, su, ss = map(float, open(f"{out}/single.time").read().split())
summary = json.load(open(f"{out}/batch/summary.json"))
assert summary["counts"]["ok"] == n, summary["counts"]
tasks = sum(t["seconds"] for t in summary["tasks"])
print(f"tasks: {n} (pearson, 80 cells x 40 genes, 1 job)")
print(f"scgrn batch          : wall {bw:7.1f} s, CPU {bu + bs:7.1f} s; inside tasks {tasks:.1f} s wall")
print(f"{n} x scgrn infer     : wall {sw:7.1f} s, CPU {su + ss:7.1f} s; {sw / n:.2f} s wall per run (JVM start incl.)")
print(f"batch / sum of singles: wall {bw / sw:.3f}, CPU {(bu + bs) / (su + ss):.3f}  (target <= 1.2)")
PY
