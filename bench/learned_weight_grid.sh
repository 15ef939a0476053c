#!/bin/bash
# Session 17 (lead): crowd -p w-learned=W for W in 1, 2, 1.5, 3 and pearson, seeds 0 and 1, on the 21 tuning sets.
# Usage: bench/learned_weight_grid.sh (writes /tmp/l17/g-*.txt); then bench/learned_weight_table.py SEED 1 1.5 2 3
cd "$(dirname "$0")/.."
mkdir -p /tmp/l17
export SCGRN_JAVA_OPTS="-Xmx4g -Dai.djl.pytorch.num_threads=1"
B=/work/shared/benchmarks
for seed in 0 1; do
  nice -n 10 app/bin/scgrn bench $B --models=pearson --seed=$seed -q > /tmp/l17/g-pearson-s$seed.txt 2>&1
  for w in 1 2 1.5 3; do
    nice -n 10 app/bin/scgrn bench $B --models=crowd -p w-learned=$w --seed=$seed -q > /tmp/l17/g-w$w-s$seed.txt 2>&1
    echo "done seed $seed w $w $(date +%T)"
  done
done
