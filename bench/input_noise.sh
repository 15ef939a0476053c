#!/bin/bash
# Round 14 (helper n13): crowd's rank-based input (-p input=...) on r12's technical-noise test bed, through
# app/bin/scgrn infer. docs/benchmarks.md "GRN accuracy: round 14, rank-based input under technical noise (helper n13)".
# Usage: bench/input_noise.sh CAND[,CAND...] SET...   CAND in D (default), pearson, R, N, Nv, Ng30
# Noisy files: $W/SET/noise{1,2,3}.h5ad (bench/robustness_variants.py ... noise$l $((SEEDBASE + l)), made if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
B=/work/shared/benchmarks
W=${W:-/tmp/n13/rob}
SEEDBASE=${SEEDBASE:-1200}  # r12: 1200 (seeds 1201-1203); its post hoc second draw: 1210
export SCGRN_JAVA_OPTS=${SCGRN_JAVA_OPTS:-"-Xmx3g -Dai.djl.pytorch.num_threads=1"}
cands=$1; shift
args() {
  case $1 in
    D) echo "-m default" ;;
    pearson) echo "-m pearson" ;;
    R) echo "-m default -p input=ranks" ;;
    N) echo "-m default -p input=normal-scores" ;;
    Nv) echo "-m default -p input=normal-scores -p input-learned=values" ;;
    Ng30) echo "-m default -p input=normal-scores -p input-zeros=0.30" ;;
    *) echo "unknown candidate $1" >&2; exit 2 ;;
  esac
}
for s in "$@"; do
  mkdir -p $W/$s
  for l in 1 2 3; do
    [ -f $W/$s/noise$l.h5ad ] || /usr/bin/python3 bench/robustness_variants.py $B/$s/data.h5ad $W/$s/noise$l.h5ad noise$l $((SEEDBASE + l))
  done
  for c in ${cands//,/ }; do
    for l in 0 1 2 3; do
      f=$W/$s/noise$l.h5ad; [ $l = 0 ] && f=$B/$s/data.h5ad
      o=$W/$s/n$l-$c
      [ -f "$o/manifest.json" ] && continue
      t0=$(date +%s.%N)
      nice -n 10 app/bin/scgrn infer "$f" --tfs $B/$s/tfs.txt --truth $B/$s/truth.csv -o "$o" -q --no-h5ad $(args $c) \
        || echo "FAILED rc=$? $s $l $c" >&2
      echo "$(date -u +%H:%M:%S) $s n$l $c $(echo "$(date +%s.%N) - $t0" | bc) s load $(cut -d' ' -f1 /proc/loadavg)" >> "$W/log.txt"
    done
  done
done
