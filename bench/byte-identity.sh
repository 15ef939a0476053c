#!/usr/bin/env bash
# Byte-identity check of a speed change: runs `scgrn infer` with a reference build and with this worktree's build on
# the same sets and options and compares network.tsv, network.arrow and regulons.tsv with cmp (manifest.json holds
# times and paths, so it is not compared). The reference outputs are cached per set and options under $REF_OUT.
#
#   REF=/tmp/base/app bench/byte-identity.sh [SET ...]
#
# REF: app/ folder (bin/ and target/) of a build of the reference commit, e.g. a clone of main built with
#      `mvn -q -o -B -DskipTests package -pl app -am`; REF_OUT (default /tmp/byte-identity/ref): its cached outputs.
# SETs: folders with data.h5ad, tfs.txt, truth.csv (default: hHEP-STRING, sergio-DS4, curated-HSC-0-1 of
#       /work/shared/benchmarks). OPTS (one option set per line; default below): the -p options of each run.
# Exit 1 when any output differs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${REF:?set REF to the app/ folder of the reference build}"
REF_OUT=${REF_OUT:-/tmp/byte-identity/ref}
NEW_OUT=${NEW_OUT:-/tmp/byte-identity/new}
B=/work/shared/benchmarks
[ $# -gt 0 ] || set -- $B/beeline-hHEP-STRING-500 $B/sergio-DS4 $B/curated-HSC-0-1
OPTS=${OPTS:-"-
learned-runs=3
learned-runs=3,learned-threads=2"}
fail=0
for d in "$@"; do
  while IFS= read -r o; do
    args=()
    if [ "$o" != - ]; then
      IFS=, read -ra ps <<< "$o"
      for p in "${ps[@]}"; do args+=(-p "$p"); done
    fi
    tag="$(basename "$d")/${o//[,=]/_}"
    if [ ! -f "$REF_OUT/$tag/network.tsv" ]; then
      rm -rf "$REF_OUT/$tag"
      "$REF/bin/scgrn" infer "$d/data.h5ad" --tfs "$d/tfs.txt" --no-h5ad -q --truth "$d/truth.csv" \
          -o "$REF_OUT/$tag" "${args[@]}" > /dev/null
    fi
    rm -rf "${NEW_OUT:?}/$tag"
    "$here/app/bin/scgrn" infer "$d/data.h5ad" --tfs "$d/tfs.txt" --no-h5ad -q --truth "$d/truth.csv" \
        -o "$NEW_OUT/$tag" "${args[@]}" > /dev/null
    for f in network.tsv network.arrow regulons.tsv; do
      if cmp -s "$REF_OUT/$tag/$f" "$NEW_OUT/$tag/$f"; then
        echo "same    $tag $f $(md5sum < "$NEW_OUT/$tag/$f" | cut -c1-8)"
      else
        echo "DIFFERS $tag $f"
        fail=1
      fi
    done
    # the manifest holds times and paths; its scores against the truth and its FDR counts must be equal
    sc() { python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print(m.get('scores'), m.get('fdr'))" "$1"; }
    if [ "$(sc "$REF_OUT/$tag/manifest.json")" = "$(sc "$NEW_OUT/$tag/manifest.json")" ]; then
      echo "same    $tag manifest scores, fdr"
    else
      echo "DIFFERS $tag manifest scores, fdr"
      fail=1
    fi
  done <<< "$OPTS"
done
exit $fail
