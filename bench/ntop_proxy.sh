#!/bin/bash
# n-top-genes proxy: on TFs+500 sets, keep 250 non-TF genes (what the default does to a TFs+1000 set) vs all
S=${SCGRN:-$(cd "$(dirname "$0")/.." && pwd)/app/bin/scgrn}; B=${BENCH:-/work/shared/benchmarks}
export SCGRN_JAVA_OPTS="-Xmx3g -Dai.djl.pytorch.num_threads=1"
# usage: bench/ntop_proxy.sh  (in an empty folder; writes out/ and res.tsv: set, model, n-top-genes, EPR, AUPRC ratio)
mkdir -p out
for s in beeline-hHEP-STRING-500 beeline-hHEP-NonSpecific-500 beeline-mDC-STRING-500 beeline-mDC-NonSpecific-500 beeline-mHSC-GM-STRING-500 beeline-mHSC-GM-NonSpecific-500; do
 for m in crowd pearson; do for n in 500 250; do
  o=out/$s-$m-$n; [ -f $o/manifest.json ] || nice -n 10 $S infer $B/$s/data.h5ad --tfs $B/$s/tfs.txt --truth $B/$s/truth.csv --model $m --prep n-top-genes=$n --seed 0 --no-h5ad -q -o $o >/dev/null 2>$o.err
  python3 -c "import json,sys; m=json.load(open(sys.argv[1]))['scores']; print('%s\t%s\t%s\t%.3f\t%.3f' % (sys.argv[2],sys.argv[3],sys.argv[4], m['epr'], m['auprc_ratio']))" $o/manifest.json $s $m $n
 done; done
done > res.tsv
date > done
