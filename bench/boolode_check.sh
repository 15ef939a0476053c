#!/bin/bash
# Session 24: crowd's direction step on fresh BoolODE-like dynamic simulations (docs/benchmarks.md "GRN accuracy:
# direction=lag on fresh dynamic simulations (lead, session 24)").
#   bench/boolode_check.sh make ROOT FIRST LAST      simulate ROOT/bNNN for seeds FIRST..LAST (bench/boolode_like.py)
#   bench/boolode_check.sh run ROOT SCGRN SET...      scgrn infer --seed 0: default, -p direction=off, -m pearson,
#                                                     -m grnboost into ROOT/out-{lag,off,pearson,grnboost}/SET
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
case "$1" in
  make)
    root=$2
    for s in $(seq "$3" "$4"); do
      n=$(printf 'b%03d' "$s")
      [ -f "$root/$n/truth.csv" ] || /usr/bin/python3 "$here/boolode_like.py" make "$root/$n" --seed "$s"
    done ;;
  run)
    root=$2; scgrn=$3; shift 3
    for s in "$@"; do
      for v in lag off pearson grnboost; do
        o=$root/out-$v/$s; mkdir -p "$root/out-$v"
        [ -f "$o/network.tsv" ] && continue
        case $v in lag) a=();; off) a=(-p direction=off);; pearson) a=(-m pearson);; grnboost) a=(-m grnboost);; esac
        "$scgrn" infer "$root/$s/data.h5ad" --tfs "$root/$s/tfs.txt" -q --no-h5ad -o "$o" --seed 0 "${a[@]}" \
          > "$o.log" 2>&1 || echo "FAIL $s $v"
      done
    done ;;
  *) echo "usage: $0 make ROOT FIRST LAST | run ROOT SCGRN SET..." >&2; exit 2 ;;
esac
