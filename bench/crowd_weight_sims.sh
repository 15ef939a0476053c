#!/bin/bash
# Session 18 (helper g18): the confirmatory simulations of "crowd's other weights with the learned term at 2 (helper
# g18)" in docs/benchmarks.md: eight SERGIO-like steady-state sets gs01..gs08 (bench/sergio_ss.py, seeds 1801-1808,
# never used before this section), scored by `scgrn bench` for pearson, the default and one candidate.
# Usage: bench/crowd_weight_sims.sh make DATA                 (needs numpy + anndata for /usr/bin/python3)
#        bench/crowd_weight_sims.sh run DATA NAME[=KEY=V,...]  writes /tmp/g18/sim-NAME.txt (NAME pearson / def / cand)
set -euo pipefail
cd "$(dirname "$0")/.."
export SCGRN_JAVA_OPTS=${SCGRN_JAVA_OPTS:-"-Xmx4g -Dai.djl.pytorch.num_threads=1"}
what=$1; data=$2
case $what in
make)
  # name seed genes regs mrs types cells topology
  while read -r n seed g r m t c top; do
    [ -f "$data/$n/data.h5ad" ] || nice -n 19 /usr/bin/python3 bench/sergio_ss.py make "$data/$n" --seed "$seed" \
      --genes "$g" --regs "$r" --mrs "$m" --types "$t" --cells "$c" --topology "$top" >/dev/null
  done <<'SETS'
gs01 1801 100 10 7 9 200 modular
gs02 1802 100 12 8 6 250 random
gs03 1803 150 15 10 8 150 modular
gs04 1804 150 12 8 5 300 random
gs05 1805 200 20 12 7 150 modular
gs06 1806 200 16 10 9 120 random
gs07 1807 250 20 14 6 150 modular
gs08 1808 300 30 18 8 100 random
SETS
  ;;
run)
  spec=$3; name=${spec%%=*}; D=${G18_DIR:-/tmp/g18}; mkdir -p "$D"
  if [ "$name" = pearson ]; then m=(--models=pearson)
  elif [ "$name" = def ]; then m=(--models=crowd)
  else m=(--models=crowd); IFS=',' read -ra kvs <<< "${spec#*=}"; for kv in "${kvs[@]}"; do m+=(-p "$kv"); done; fi
  nice -n 10 app/bin/scgrn bench "$data" "${m[@]}" --seed=0 -q > "$D/sim-$name.txt" 2>&1 ;;
esac
