#!/bin/bash
# Round 17 (helper st17): training simulations for the learned term combiner (bench/lsim.py); truth known, never
# the benchmark sets. docs/benchmarks.md "GRN accuracy: round 17, a term combiner learned from simulations".
# Usage: bench/lsim_make.sh sergio DATA     SERGIO-like steady state s401..s412 (bench/sergio_ss.py make)
#        bench/lsim_make.sh multiome DATA   scgrn simulate m501..m510, RNA modality as BEELINE folders
#        bench/lsim_make.sh noise DATA      Poisson counts at low depth of some SERGIO-like sets (n-<set>)
set -euo pipefail
cd "$(dirname "$0")/.."
export SCGRN_JAVA_OPTS=${SCGRN_JAVA_OPTS:-"-Xmx3g -Dai.djl.pytorch.num_threads=1"}
what=$1; data=$2
case $what in
sergio)
  # name seed genes regs mrs types cells topology
  while read -r n seed g r m t c top; do
    [ -f "$data/$n/data.h5ad" ] || nice -n 10 /usr/bin/python3 bench/sergio_ss.py make "$data/$n" --seed "$seed" \
      --genes "$g" --regs "$r" --mrs "$m" --types "$t" --cells "$c" --topology "$top" >/dev/null
  done <<'SETS'
s401 401 100 10 7 9 200 modular
s402 402 100 12 8 6 250 random
s403 403 150 15 10 8 150 modular
s404 404 150 10 6 5 300 random
s405 405 200 20 12 7 150 modular
s406 406 200 25 15 9 120 random
s407 407 250 20 14 6 150 modular
s408 408 300 30 18 8 100 random
s409 409 300 24 16 5 200 modular
s410 410 400 40 25 7 100 random
s411 411 400 30 20 9 80 modular
s412 412 120 8 5 4 300 random
SETS
  ;;
multiome)
  # name seed extra simulate options (types, confounding, gating vary)
  while read -r n seed opts; do
    if [ ! -f "$data/$n/data.h5ad" ]; then
      mkdir -p "$data/$n/sim"
      # shellcheck disable=SC2086
      nice -n 10 app/bin/scgrn simulate --out "$data/$n/sim/data.h5mu" --seed "$seed" $opts >/dev/null
      nice -n 10 /usr/bin/python3 bench/lsim.py from-h5mu "$data/$n/sim" "$data/$n"
    fi
  done <<'SETS'
m501 501 --cell-types 2 --confounding 0.5
m502 502 --cell-types 4 --confounding 1
m503 503 --cell-types 6 --confounding 2 --gated-fraction 0.5
m504 504 --cell-types 8 --confounding 3 --gated-fraction 0.9
m505 505 --cell-types 3 --confounding 0.2 --gated-fraction 0.3 --dropout 0.3
m506 506 --cell-types 5 --confounding 4 --dropout 0.05 --genes 400 --tfs 40
m507 507 --cell-types 4 --confounding 1.5 --genes 200 --tfs 20 --cells 600
m508 508 --cell-types 10 --confounding 1 --cells 1500
m509 509 --cell-types 2 --confounding 0 --gated-fraction 0.2
m510 510 --cell-types 6 --confounding 6 --dropout 0.2
SETS
  ;;
noise)
  for s in s401 s404 s407 s410 s412; do
    [ -f "$data/n-$s/data.h5ad" ] || nice -n 10 /usr/bin/python3 bench/lsim.py downsample "$data/$s" "$data/n-$s" 0.3 1
  done ;;
esac
