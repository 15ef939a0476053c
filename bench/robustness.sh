#!/bin/bash
# Round 12 (helper r12): invariance, counts and technical-noise checks through app/bin/scgrn infer.
# docs/benchmarks.md "GRN accuracy: round 12, invariance and robustness (helper r12)".
# Usage: bench/robustness.sh invariance|counts|noise [SET...]
# Writes transformed files and outputs under $W (default /tmp/r12/rob); needs Debian's /usr/bin/python3 (anndata).
set -euo pipefail
cd "$(dirname "$0")/.."
B=/work/shared/benchmarks
W=${W:-/tmp/r12/rob}
export SCGRN_JAVA_OPTS=${SCGRN_JAVA_OPTS:-"-Xmx3g -Dai.djl.pytorch.num_threads=1"}
what=$1; shift
mkdir -p "$W"

run() {  # set file out model [extra scgrn options]
  local s=$1 f=$2 o=$3 m=$4; shift 4
  [ -f "$o/manifest.json" ] && return 0
  local t0=$(date +%s.%N)
  nice -n 10 app/bin/scgrn infer "$f" --tfs $B/$s/tfs.txt --truth $B/$s/truth.csv -m "$m" -o "$o" -q --no-h5ad "$@" \
    || echo "FAILED rc=$? $s $f $m" >&2
  echo "$(date -u +%H:%M:%S) $s $(basename "$o") $m $(echo "$(date +%s.%N) - $t0" | bc) s load $(cut -d' ' -f1 /proc/loadavg)" >> "$W/log.txt"
}

case $what in
invariance)
  for s in "$@"; do
    run $s $B/$s/data.h5ad $W/$s/orig default
    for v in rewrite csr csc f64 permgenes permcells meta; do
      [ -f $W/$s/$v.h5ad ] || /usr/bin/python3 bench/robustness_variants.py $B/$s/data.h5ad $W/$s/$v.h5ad $v
      run $s $W/$s/$v.h5ad $W/$s/$v default
    done
  done ;;
seed)  # the original file with --seed 1: the size of a change that only the random streams make
  for s in "$@"; do run $s $B/$s/data.h5ad $W/$s/seed1 default --seed 1; done ;;
diag)  # which part of the default depends on the order: the learned term off (w-learned=0) on orig/permgenes/permcells;
       # and pearson on the original and the counts files (how much of a counts change is in the data themselves)
  for s in "$@"; do
    for v in orig permgenes permcells; do
      f=$W/$s/$v.h5ad; [ $v = orig ] && f=$B/$s/data.h5ad
      [ -f "$f" ] && run $s "$f" $W/$s/$v-nolearned default -p w-learned=0
    done
    for v in orig counts-e counts-2; do
      f=$W/$s/$v.h5ad; [ $v = orig ] && f=$B/$s/data.h5ad
      [ -f "$f" ] && run $s "$f" $W/$s/$v-pearson pearson
    done
  done ;;
ablate)  # which of crowd's parts loses under technical noise: one part off at a time, on the noisy files
  # usage: ablate SET LEVEL...
  s=$1; shift
  for l in "$@"; do
    for a in within=off post=off w-learned=0 w-mi=0 w-pcor=0; do
      run $s $W/$s/noise$l.h5ad $W/$s/n$l-default-${a/=/} default -p $a
    done
  done ;;
counts)
  for s in "$@"; do
    run $s $B/$s/data.h5ad $W/$s/orig default
    for v in counts-e counts-2; do
      [ -f $W/$s/$v.h5ad ] || /usr/bin/python3 bench/robustness_variants.py $B/$s/data.h5ad $W/$s/$v.h5ad $v
      run $s $W/$s/$v.h5ad $W/$s/$v default
    done
  done ;;
noise)
  for s in "$@"; do
    mkdir -p $W/$s
    for l in 1 2 3; do
      [ -f $W/$s/noise$l.h5ad ] || /usr/bin/python3 bench/robustness_variants.py $B/$s/data.h5ad $W/$s/noise$l.h5ad noise$l $((1200 + l))
    done
    for m in default pearson grnboost; do
      run $s $B/$s/data.h5ad $W/$s/n0-$m $m
      for l in 1 2 3; do run $s $W/$s/noise$l.h5ad $W/$s/n$l-$m $m; done
    done
  done ;;
*) echo "usage: $0 invariance|seed|diag|ablate|counts|noise SET..." >&2; exit 2 ;;
esac
