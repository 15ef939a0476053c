#!/bin/bash
# Sessions 13-14 (lead): the canonical order of cells and genes (io.scgrn.models.CanonicalOrder).
# docs/benchmarks.md "GRN accuracy: canonical order of cells and genes (lead, session 13)".
# Usage: bench/canonical_order.sh accuracy OUT SCGRN [SET...]   the default on every set's original file through
#                                                               SCGRN (an app/bin/scgrn of the build to measure)
#        bench/canonical_order.sh invariance OUT SET...         original, permgenes, permcells, renamed cells
#                                                               through this checkout's app/bin/scgrn
#        bench/canonical_order.sh multiome OUT SCGRN TYPES:GATED:CONFOUNDING:SEED:CELLS...
#                                                               simulate, then infer with --genome, --motifs,
#                                                               neither, and --atac off
# SEED=N (default 0) and MODEL=NAME (default: the default model) apply to accuracy and invariance.
# Needs Debian's /usr/bin/python3 (anndata) for the permuted files. Prints set, variant, EPR, AUPRC ratio, md5.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${B:-/work/shared/benchmarks}
export SCGRN_JAVA_OPTS=${SCGRN_JAVA_OPTS:-"-Xmx3g -Dai.djl.pytorch.num_threads=1"}
what=$1; out=$2; shift 2
mkdir -p "$out"

infer() {  # scgrn set file outdir
  local bin=$1 s=$2 f=$3 o=$4
  [ -f "$o/manifest.json" ] || nice -n 10 "$bin" infer "$f" --tfs $B/$s/tfs.txt --truth $B/$s/truth.csv -o "$o" \
    --seed "${SEED:-0}" ${MODEL:+-m "$MODEL"} -q --no-h5ad >/dev/null
  python3 - "$s" "$(basename "$o")" "$o" <<'PY'
import hashlib, json, sys
m = json.load(open(sys.argv[3] + "/manifest.json"))["scores"]
md5 = hashlib.md5(open(sys.argv[3] + "/network.tsv", "rb").read()).hexdigest()[:10]
print("%s\t%s\t%.3f\t%.3f\t%s" % (sys.argv[1], sys.argv[2], m["epr"], m["auprc_ratio"], md5))
PY
}

case $what in
accuracy)
  bin=$1; shift
  sets=("$@"); [ ${#sets[@]} -gt 0 ] || sets=($(ls $B | grep -v README))
  for s in "${sets[@]}"; do infer "$bin" $s $B/$s/data.h5ad "$out/$s"; done ;;
invariance)
  for s in "$@"; do
    infer app/bin/scgrn $s $B/$s/data.h5ad "$out/$s/orig"
    for v in permgenes permcells renamed; do
      f=$out/$s/$v.h5ad
      if [ ! -f "$f" ]; then
        if [ $v = renamed ]; then  # every cell renamed (barcodes with a suffix), cells also permuted
          /usr/bin/python3 - $B/$s/data.h5ad "$f" <<'PY'
import sys, anndata, numpy as np
a = anndata.read_h5ad(sys.argv[1])
a = a[np.random.default_rng(13).permutation(a.n_obs)].copy()
a.obs_names = ["cell%05d-1" % i for i in range(a.n_obs)]
a.write_h5ad(sys.argv[2])
PY
        else
          /usr/bin/python3 bench/robustness_variants.py $B/$s/data.h5ad "$f" $v
        fi
      fi
      infer app/bin/scgrn $s "$f" "$out/$s/$v"
    done
  done ;;
multiome)
  bin=$1; shift
  for spec in "$@"; do
    IFS=: read -r types gated conf seed cells <<< "$spec"
    d=$out/sim$seed; mkdir -p "$d"
    [ -f "$d/data.h5mu" ] || nice -n 10 "$bin" simulate -o "$d/data.h5mu" --cells "$cells" --genes 400 --tfs 40 \
      --peaks 5000 --cell-types "$types" --gated-fraction "$gated" --confounding "$conf" --seed "$seed" \
      --genome-out "$d/genome.fa" >/dev/null
    for p in genome table nomotif rna; do
      case $p in genome) a=(--genome "$d/genome.fa") ;; table) a=(--motifs "$d/motifs.tsv") ;;
                 nomotif) a=() ;; rna) a=(--atac off) ;; esac
      o=$d/out-$p
      [ -f "$o/manifest.json" ] || nice -n 10 "$bin" infer "$d/data.h5mu" --tfs "$d/tfs.txt" "${a[@]}" \
        --truth "$d/truth.csv" --seed "$seed" --no-h5ad -q -o "$o" >/dev/null
      python3 -c "import json,sys; m=json.load(open(sys.argv[1]))['scores']; print('%s\t%s\t%.3f\t%.3f' % (sys.argv[2], sys.argv[3], m['epr'], m['auprc_ratio']))" \
        "$o/manifest.json" "$seed" "$p"
    done
  done ;;
*) echo "usage: $0 accuracy OUT SCGRN [SET...] | invariance OUT SET... | multiome OUT SCGRN SPEC..." >&2; exit 2 ;;
esac
