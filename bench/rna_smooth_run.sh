#!/bin/bash
# usage: bench/rna_smooth_run.sh NAME CONFIGS CELLS SPEC...  (CP file /tmp/m17/CP: the graph-models test class path; docs "multiome: round 17")
name=$1; cfg=$2; cells=$3; shift 3
CP=$(cat /tmp/m17/CP)
cd /tmp/m17/runs
/usr/bin/time -v nice -n 10 java -Xmx3g -Dai.djl.pytorch.num_threads=1 -Dnoplain=true -Drbstats=true \
  "-Dconfigs=$cfg" -cp "$CP" io.scgrn.models.sim.MotifScanAccuracy crowd $cells 400 5000 "$@" > $name.out 2> $name.err
