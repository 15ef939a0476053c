#!/bin/bash
# da-draw speed pairs (session 19 confirmatory rule, docs "Speed: the dropout augmentation's mask from a pool"):
# 3 files x 5 interleaved pairs, order alternating. Files: bench/ntop_timing.py outputs at /tmp/l18/{gm1132,h1448}.h5ad
cd "$(dirname "$0")/.."
B=/work/shared/benchmarks
declare -A TF=( [gm1132]=$B/beeline-mHSC-GM-STRING-500/tfs.txt [hhep]=$B/beeline-hHEP-STRING-500/tfs.txt [h1448]=$B/beeline-hHEP-STRING-500/tfs.txt )
declare -A F=( [gm1132]=/tmp/l18/gm1132.h5ad [hhep]=$B/beeline-hHEP-STRING-500/data.h5ad [h1448]=/tmp/l18/h1448.h5ad )
echo "file pair draw wall user sys maxrss_kb load1" 
for pair in 1 2 3 4 5; do
  for f in gm1132 hhep h1448; do
    if [ $((pair % 2)) = 1 ]; then order="fresh pool"; else order="pool fresh"; fi
    for d in $order; do
      out=${OUT:-/tmp/l19}/out-$f-$d-$pair; rm -rf $out
      t=$( { /usr/bin/time -f "%e %U %S %M" app/bin/scgrn infer ${F[$f]} --tfs ${TF[$f]} --seed 0 --no-h5ad -q -p da-draw=$d -o $out >/dev/null 2>${OUT:-/tmp/l19}/err-$f-$d-$pair; } 2>&1 | tail -1 )
      echo "$f $pair $d $(tail -1 ${OUT:-/tmp/l19}/err-$f-$d-$pair) $(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done
