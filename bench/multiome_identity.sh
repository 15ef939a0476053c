#!/usr/bin/env bash
# Byte-identity check of a multiome change: `scgrn infer` on simulated .h5mu files with a reference build and with
# this checkout's build, RNA-only ATAC evidence (no motifs) and with the simulator's motif table, then cmp of
# network.tsv, triplets.tsv, peak_gene_links.tsv and regulons.tsv (manifest.json holds times and paths); with a
# truth.csv in SIMDIR both runs are scored against it and EPR / AUPRC ratio printed.
#
#   REF=/tmp/base/app bench/multiome_identity.sh SIMDIR...
#
# SIMDIR: a folder `scgrn simulate --out SIMDIR/data.h5mu` wrote (data.h5mu, tfs.txt, genes.bed, motifs.tsv).
# Exit 1 when any output differs.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${REF:?set REF to the app/ folder of the reference build}"
OUT=${OUT:-/tmp/multiome-identity}
status=0
mkdir -p "$OUT"
for sim in "$@"; do
  for mode in nomotif motifs; do
    extra=()
    [ "$mode" = motifs ] && extra=(--motifs "$sim/motifs.tsv")
    [ -f "$sim/truth.csv" ] && extra+=(--truth "$sim/truth.csv")
    for side in ref new; do
      bin="$here/app/bin/scgrn"
      [ "$side" = ref ] && bin="$REF/bin/scgrn"
      o="$OUT/$(basename "$sim")-$mode-$side"
      rm -rf "$o"
      "$bin" infer "$sim/data.h5mu" --tfs "$sim/tfs.txt" --genes "$sim/genes.bed" "${extra[@]}" -q -o "$o" \
        > "$o.log" 2>&1 || { echo "$side failed on $sim ($mode): $(tail -1 "$o.log")"; status=1; }
    done
    for f in network.tsv triplets.tsv peak_gene_links.tsv regulons.tsv; do
      a="$OUT/$(basename "$sim")-$mode-ref/$f"
      b="$OUT/$(basename "$sim")-$mode-new/$f"
      if [ ! -f "$a" ] && [ ! -f "$b" ]; then continue; fi
      if cmp -s "$a" "$b"; then echo "same   $(basename "$sim") $mode $f"; else echo "DIFFER $(basename "$sim") $mode $f"; status=1; fi
    done
    # result.h5ad's per-cell matrices (gene and eRegulon activity, regulon AUC), when h5py is at hand
    /usr/bin/python3 - "$OUT/$(basename "$sim")-$mode-ref/result.h5ad" "$OUT/$(basename "$sim")-$mode-new/result.h5ad" \
        "$(basename "$sim") $mode" <<'PY' || status=1
import sys
try:
    import h5py, numpy as np
except ImportError:
    sys.exit(0)
def dense(x):
    # an obsm entry as a dense array: a dataset, or a csr_matrix group (gene activity is written sparse)
    if isinstance(x, h5py.Dataset):
        return x[()]
    rows, cols = x.attrs["shape"]
    out = np.zeros((rows, cols), dtype=x["data"].dtype)
    ptr, idx, val = x["indptr"][()], x["indices"][()], x["data"][()]
    for r in range(rows):
        out[r, idx[ptr[r]:ptr[r + 1]]] = val[ptr[r]:ptr[r + 1]]
    return out
a, b = h5py.File(sys.argv[1]), h5py.File(sys.argv[2])
bad = [k for k in a["obsm"] if k not in b["obsm"] or not np.array_equal(dense(a["obsm"][k]), dense(b["obsm"][k]), equal_nan=True)]
print(("DIFFER " if bad else "same   ") + sys.argv[3] + " result.h5ad obsm " + (" ".join(bad) or " ".join(a["obsm"])))
sys.exit(1 if bad else 0)
PY
    for side in ref new; do   # scores against the simulator's truth (manifest "scores"), one line per side
      python3 - "$OUT/$(basename "$sim")-$mode-$side/manifest.json" "$(basename "$sim") $mode $side" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
s = m.get("scores") or {}
print("scores", sys.argv[2], " ".join(f"{k}={v:.4f}" for k, v in s.items() if k in ("epr", "auprc_ratio")),
      "atac_ms=%s" % m.get("timings_ms", {}).get("atac"))
PY
    done
  done
done
exit $status
