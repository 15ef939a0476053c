#!/bin/bash
# Session 15 (helper s15): SERGIO-like steady-state sets (bench/sergio_ss.py) and the default vs `pearson` on them.
# docs/benchmarks.md "GRN accuracy: round 15, SERGIO steady-state regime (helper s15)".
# Usage: bench/sergio_ss.sh make DATA                 the ten registered sets ss01..ss10 (+ 3 DS1-network replays)
#        bench/sergio_ss.sh run DATA OUT [ARGS...]    app/bin/scgrn infer (seed $SEED, default 0) on every set of DATA (ARGS: e.g. -m pearson,
#                                                     -p w-mi=0); prints set, EPR, AUPRC ratio, md5 of network.tsv
set -euo pipefail
cd "$(dirname "$0")/.."
export SCGRN_JAVA_OPTS=${SCGRN_JAVA_OPTS:-"-Xmx3g -Dai.djl.pytorch.num_threads=1"}
what=$1; data=$2; shift 2
case $what in
make)
  # name seed genes regs mrs types topology   (design half: odd numbers; check half: even numbers)
  while read -r n seed g r m t top; do
    [ -f "$data/$n/data.h5ad" ] || nice -n 10 /usr/bin/python3 bench/sergio_ss.py make "$data/$n" --seed "$seed" \
      --genes "$g" --regs "$r" --mrs "$m" --types "$t" --topology "$top" >/dev/null
  done <<'SETS'
ss01 101 100 10 7 9 modular
ss02 102 100 10 7 9 random
ss03 103 100 12 8 7 modular
ss04 104 100 8 5 5 modular
ss05 105 100 14 9 6 random
ss06 106 100 10 6 8 modular
ss07 107 200 20 13 9 modular
ss08 108 300 25 16 7 random
ss09 109 400 30 20 9 modular
ss10 110 400 40 25 6 random
SETS
  for s in 0 1 2; do
    [ -f "$data/ds1net-$s/data.h5ad" ] || nice -n 10 /usr/bin/python3 bench/sergio_ss.py replay "$data/ds1net-$s" \
      --seed $s --truth /work/shared/benchmarks/sergio-DS1/truth.csv --types 9 >/dev/null
  done ;;
run)
  out=$1; shift
  for d in "$data"/*/; do
    s=$(basename "$d"); o=$out/$s
    [ -f "$o/manifest.json" ] || nice -n 10 app/bin/scgrn infer "$d/data.h5ad" --tfs "$d/tfs.txt" \
      --truth "$d/truth.csv" -o "$o" --seed "${SEED:-0}" -q --no-h5ad "$@" >/dev/null
    python3 - "$s" "$o" <<'PY'
import hashlib, json, sys
m = json.load(open(sys.argv[2] + "/manifest.json"))["scores"]
md5 = hashlib.md5(open(sys.argv[2] + "/network.tsv", "rb").read()).hexdigest()[:10]
print("%s\t%.3f\t%.3f\t%s" % (sys.argv[1], m["epr"], m["auprc_ratio"], md5))
PY
  done ;;
esac
