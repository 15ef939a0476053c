#!/bin/bash
# Session 18 (lead): crowd -p da-draw=fresh|pool and pearson at seeds 0 and 1 on the 21 tuning sets.
# Usage: bench/da_draw_grid.sh OUTDIR (writes OUTDIR/g-{pearson,fresh,pool}-sSEED.txt); tables by
# bench/criterion_groups.py OUTDIR SEED fresh pool
cd "$(dirname "$0")/.."
O=${1:-/tmp/l18/dd}; mkdir -p $O
export SCGRN_JAVA_OPTS="-Xmx4g -Dai.djl.pytorch.num_threads=1"
B=/work/shared/benchmarks
for seed in 0 1; do
  nice -n 5 app/bin/scgrn bench $B --models=pearson --seed=$seed -q > $O/g-pearson-s$seed.txt 2>&1
  for d in pool fresh; do
    nice -n 5 app/bin/scgrn bench $B --models=crowd -p da-draw=$d --seed=$seed -q > $O/g-$d-s$seed.txt 2>&1
    echo "done seed $seed $d $(date +%T)"
  done
done
