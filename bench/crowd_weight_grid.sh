#!/bin/bash
# Session 18 (helper g18): crowd's other weights with w-learned=2 fixed (docs/benchmarks.md, "crowd's other weights
# with the learned term at 2 (helper g18)"). Runs `scgrn bench` on the 21 tuning sets for pearson and for crowd with
# each candidate's -p settings, at one seed; outputs /tmp/g18/g-NAME-sSEED.txt (NAME: pearson, def, or the candidate
# name). Usage: bench/crowd_weight_grid.sh SEED NAME[=KEY=V[,KEY=V]] ...   e.g.
#   bench/crowd_weight_grid.sh 0 pearson def mi0.5=w-mi=0.5 pcor2=w-pcor=2
# Tables: bench/crowd_weight_table.py SEED def NAME ...
cd "$(dirname "$0")/.."
D=${G18_DIR:-/tmp/g18}; mkdir -p "$D"
export SCGRN_JAVA_OPTS="-Xmx4g -Dai.djl.pytorch.num_threads=1"
B=${BENCH:-/work/shared/benchmarks}
seed=$1; shift
for spec in "$@"; do
  name=${spec%%=*}
  out=$D/g-$name-s$seed.txt
  if [ -s "$out" ] && grep -q '^| ' "$out"; then echo "skip $name (exists)"; continue; fi
  if [ "$name" = pearson ]; then
    nice -n 10 app/bin/scgrn bench $B --models=pearson --seed=$seed -q > $out 2>&1
  elif [ "$name" = def ]; then
    nice -n 10 app/bin/scgrn bench $B --models=crowd --seed=$seed -q > $out 2>&1
  else
    args=()
    IFS=',' read -ra kvs <<< "${spec#*=}"
    for kv in "${kvs[@]}"; do args+=(-p "$kv"); done
    nice -n 10 app/bin/scgrn bench $B --models=crowd "${args[@]}" --seed=$seed -q > $out 2>&1
  fi
  echo "done seed $seed $name $(date +%T)"
done
