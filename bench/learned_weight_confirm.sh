#!/bin/bash
# Session 17 (lead): the confirmatory run of w-learned=2 on 37 simulations (/tmp/l17/sims: st17 sims + s15 ss01-ss10 as symlinks).
# Usage: bench/learned_weight_confirm.sh (from the repo root); few-regulator part: FewTfBench ... 60 4,5,6,7,8,9 pearson,crowd,crowd-wl2
export SCGRN_JAVA_OPTS="-Xmx4g -Dai.djl.pytorch.num_threads=1"
D=/tmp/l17/sims
nice -n 10 app/bin/scgrn bench $D --models=pearson -q > /tmp/l17/sim-pearson.txt 2>&1; echo "pearson $(date +%T)"
for w in 1 2; do nice -n 10 app/bin/scgrn bench $D --models=crowd -p w-learned=$w -q > /tmp/l17/sim-w$w.txt 2>&1; echo "w$w $(date +%T)"; done
