#!/usr/bin/env bash
# Paired wall/CPU timing of `scgrn infer` file → network: a reference build and this worktree's build, interleaved
# in the same minutes (old, new, old, new …) for each option set, ROUNDS rounds; then our grnboost with this build.
# Prints one row per run: label wall_s cpu_s load1 and the manifest's phase times (ms), then medians.
#
#   REF=/tmp/base/app bench/infer-speed.sh [SET]      (SET default: BEELINE hHEP-STRING, TFs+500)
#
# REF: app/ folder of the reference build; ROUNDS (3); OPTS (option sets, one a line, "-" for none); GRNBOOST (1:
# that many grnboost runs per round, 0 for none).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${REF:?set REF to the app/ folder of the reference build}"
D=${1:-/work/shared/benchmarks/beeline-hHEP-STRING-500}
ROUNDS=${ROUNDS:-3}
GRNBOOST=${GRNBOOST:-1}
OPTS=${OPTS:-"-
learned-runs=3"}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
run() {  # label app-folder options...
  local label=$1 app=$2
  shift 2
  rm -rf "$TMP/out"
  /usr/bin/time -o "$TMP/t" -f "%e %U %S" "$app/bin/scgrn" infer "$D/data.h5ad" --tfs "$D/tfs.txt" --no-h5ad -q \
      --truth "$D/truth.csv" -o "$TMP/out" "$@" > /dev/null
  read -r wall user sys < "$TMP/t"
  phases=$(python3 -c "import json,sys; t=json.load(open(sys.argv[1]))['timings_ms']; print(' '.join(f'{k}={v}' for k,v in t.items()))" "$TMP/out/manifest.json")
  echo "$label $wall $(echo "$user + $sys" | bc) $(cut -d' ' -f1 /proc/loadavg) $phases $(md5sum < "$TMP/out/network.tsv" | cut -c1-8)" | tee -a "$TMP/runs"
}
for r in $(seq "$ROUNDS"); do
  while IFS= read -r o; do
    args=()
    if [ "$o" != - ]; then
      IFS=, read -ra ps <<< "$o"
      for p in "${ps[@]}"; do args+=(-p "$p"); done
    fi
    run "old[$o]" "$REF" "${args[@]}"
    run "new[$o]" "$here/app" "${args[@]}"
  done <<< "$OPTS"
  for _ in $(seq "$GRNBOOST"); do
    run "grnboost" "$here/app" -m grnboost
  done
done
echo "median wall / cpu s:"
for l in $(cut -d' ' -f1 "$TMP/runs" | sort -u); do
  for c in 2 3; do
    awk -v l="$l" -v c="$c" '$1 == l {print $c}' "$TMP/runs" | sort -g | awk '{v[NR]=$1} END {
        if (NR % 2) m = v[(NR+1)/2]; else m = (v[NR/2] + v[NR/2+1]) / 2; printf "%s ", m }'
  done | sed "s/^/$l /"
  echo
done
