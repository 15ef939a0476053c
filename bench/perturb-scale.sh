#!/usr/bin/env bash
# Time and peak RSS of `scgrn perturb` on a large simulated dataset (default 100,000 cells × 2,000 genes, 200 TFs,
# 4 cell types) with a network of 10 regulators per target (the true edges plus random TFs, as dense as what
# perturb keeps from an inferred network). Usage: bench/perturb-scale.sh [cells] [genes] [workdir]
# Needs the app built (mvn -q -B -DskipTests package -pl app -am). Heap: SCGRN_JAVA_OPTS (default -Xmx8g).
set -euo pipefail
cells=${1:-100000}
genes=${2:-2000}
work=${3:-/tmp/scgrn-perturb-scale}
tfs=$((genes / 10))
here=$(cd "$(dirname "$0")/.." && pwd)
scgrn="$here/app/bin/scgrn"
export SCGRN_JAVA_OPTS=${SCGRN_JAVA_OPTS:--Xmx8g}
mkdir -p "$work"
if [ ! -f "$work/sim/data.h5mu" ]; then
  /usr/bin/time -f "simulate: %e s, peak RSS %M KB" "$scgrn" simulate --out "$work/sim/data.h5mu" --cells "$cells" \
    --genes "$genes" --tfs "$tfs" --peaks $((3 * genes)) --seed 1
fi
# network: true edges + random TFs up to 10 regulators per target, score 1 for true edges, 0.5 for the others
awk -F, -v tfs="$tfs" 'BEGIN { srand(7); OFS = "\t"; print "tf", "target", "score" }
  NR > 1 { n[$2]++; print $1, $2, 1; seen[$1 "," $2] = 1; genes[$2] = 1 }
  END {
    for (g in genes) {
      while (n[g] < 10) { t = sprintf("TF%0" length(tfs "") "d", 1 + int(rand() * tfs));
        if (!((t "," g) in seen) && t != g) { seen[t "," g] = 1; n[g]++; print t, g, 0.5 } }
    }
  }' "$work/sim/truth.csv" > "$work/network.tsv"
hub=$(awk -F, 'NR > 1 { n[$1]++ } END { for (t in n) print n[t], t }' "$work/sim/truth.csv" | sort -k1,1nr -k2 | head -1 \
  | cut -d' ' -f2)
echo "cells=$cells genes=$genes tfs=$tfs edges=$(($(wc -l < "$work/network.tsv") - 1)) knock-out=$hub"
uptime
/usr/bin/time -f "perturb: %e s wall, %U s user, peak RSS %M KB" "$scgrn" perturb "$work/sim/data.h5mu" \
  --network "$work/network.tsv" --ko "$hub" --groupby cell_type -q -o "$work/out"
uptime
