#!/bin/bash
# Round 14b (helper k14): size-factor screen (no product code). docs/benchmarks.md "GRN accuracy: round 14b,
# composition-robust size factors for count input (helper k14)".
# Usage: bench/sizefactor_screen.sh VARIANTS(raw,C,E,P,T) [CELLS...]   CELL = SET:FILE, FILE in noise1..3, counts-e,
#   counts-2, deep. Noisy count files: $NOISE/SET/noiseL.h5ad (r12's recipe via bench/robustness_variants.py, seeds
#   SEEDBASE+L, made if missing); other count files and normalised files under $W/SET/.
set -euo pipefail
cd "$(dirname "$0")/.."
B=/work/shared/benchmarks
W=${W:-/tmp/k14/sf}
NOISE=${NOISE:-/tmp/n13/rob}
SEEDBASE=${SEEDBASE:-1200}
export SCGRN_JAVA_OPTS=${SCGRN_JAVA_OPTS:-"-Xmx3g -Dai.djl.pytorch.num_threads=1"}
PY=/usr/bin/python3
vars=$1; shift
cells=("$@")
if [ ${#cells[@]} = 0 ]; then
  for s in sergio-DS1 sergio-DS4 sergio-DS5 curated-GSD-20-1 curated-HSC-20-1; do for l in 1 2 3; do cells+=("$s:noise$l"); done; done
  for s in beeline-hHEP-STRING-500 beeline-mHSC-GM-STRING-500; do cells+=("$s:counts-e" "$s:counts-2"); done
  cells+=("sergio-DS4:deep" "sergio-DS5:deep")
fi
for cell in "${cells[@]}"; do
  s=${cell%%:*}; f=${cell#*:}
  mkdir -p $W/$s
  case $f in
    noise*) raw=$NOISE/$s/$f.h5ad
            mkdir -p $NOISE/$s
            [ -f $raw ] || $PY bench/robustness_variants.py $B/$s/data.h5ad $raw $f $((SEEDBASE + ${f#noise})) ;;
    counts-*) raw=$W/$s/$f.h5ad; [ -f $raw ] || $PY bench/robustness_variants.py $B/$s/data.h5ad $raw $f ;;
    deep) raw=$W/$s/$f.h5ad; [ -f $raw ] || $PY bench/sizefactor_screen.py deep $B/$s/data.h5ad $raw ;;
  esac
  for v in ${vars//,/ }; do
    in=$raw
    if [ $v != raw ]; then
      in=$W/$s/$f-$v.h5ad
      [ -f $in ] || $PY bench/sizefactor_screen.py make $raw $in $v >> $W/make.log
    fi
    for m in D pearson; do
      o=$W/$s/$f-$v-$m
      [ -f "$o/manifest.json" ] && continue
      t0=$(date +%s.%N)
      nice -n 10 app/bin/scgrn infer "$in" --tfs $B/$s/tfs.txt --truth $B/$s/truth.csv -o "$o" -q --no-h5ad \
        -m $([ $m = D ] && echo default || echo pearson) || echo "FAILED rc=$? $s $f $v $m" >&2
      echo "$(date -u +%H:%M:%S) $s $f $v $m $(echo "$(date +%s.%N) - $t0" | bc) s load $(cut -d' ' -f1 /proc/loadavg)" >> $W/log.txt
    done
  done
done
