#!/bin/bash
# calibration audit on permuted data: edges at q<=0.05 / q<=0.1 per product path
S=/tmp/s23/app/app/bin/scgrn; D=/tmp/s23/null; O=/tmp/s23/null/out
run() { tag=$1; shift; rm -rf $O/$tag; $S infer "$@" -q -o $O/$tag > $O/$tag.log 2>&1; rc=$?
  c=$(python3 -c "import json;m=json.load(open('$O/$tag/manifest.json'));c=m.get('counts',{});print(c.get('edges'),c.get('edges_fdr_05'),c.get('edges_fdr_10'))" 2>/dev/null)
  echo "$tag rc=$rc $c"; }
mkdir -p $O
for n in beeline-mDC-STRING-500 sergio-DS4; do
  f=$D/$n.perm.h5ad; t=$D/$n.tfs.txt
  run $n-crowd $f --tfs $t
  run $n-prior $f --tfs $t --prior $D/$n.prior.tsv
  run $n-groupby $f --tfs $t --groupby grp
  run $n-stream $f --tfs $t --prep stream=on
  for m in pearson spearman grnboost gnn sem; do run $n-$m $f --tfs $t -m $m; done
  run $n-train $f --tfs $t --train-edges $D/$n.prior.tsv
done
