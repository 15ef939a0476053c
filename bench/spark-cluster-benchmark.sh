#!/usr/bin/env bash
# Spark cluster benchmark (not a test): a 20-task plan run by `scgrn batch` locally and on a local Spark standalone
# cluster (1 master + 2 workers with 1 core each, separate JVMs on 127.0.0.1), then summary.tsv (all columns but
# `seconds` and `reused`) and every task's network.tsv, network.arrow, regulons.tsv compared byte for byte.
#
#   mvn -q -B -DskipTests package && bench/spark-cluster-benchmark.sh       # results in bench/out/spark-cluster/
#
# Plan: the bundled pbmc68k_reduced (--groupby bulk_labels) and the synthetic set with its truth, x pearson,
# spearman, grnboost with max-trees 5/10/20, x seeds 0 and 1 = 20 tasks. The local run uses -j 2 (the cluster's two
# cores). Prints wall and CPU seconds of both runs and exits 1 when anything differs.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCGRN="$ROOT/app/bin/scgrn"
OUT=${OUT:-$ROOT/bench/out/spark-cluster}
rm -rf "$OUT"
mkdir -p "$OUT/spark-home/jars"
cp "$ROOT/examples/pbmc68k_reduced.h5ad" "$ROOT/examples/batch/synthetic.h5ad" "$ROOT/examples/batch/tfs.txt" \
  "$ROOT/examples/batch/truth.csv" "$OUT/"
cat > "$OUT/plan.yaml" <<'YAML'
name: spark-cluster-benchmark
seeds: [0, 1]
device: cpu
datasets:
  - {path: pbmc68k_reduced.h5ad, species: human, groupby: bulk_labels}
  - {path: synthetic.h5ad, tfs: tfs.txt, truth: truth.csv}
models:
  - pearson
  - spearman
  - {name: grnboost, params: {max-trees: [5, 10, 20]}}
YAML

# Spark's daemons run from spark/target/lib; a Spark home whose jars/ links there (workers build the executors'
# class path from it). The options are the ones spark-submit adds on Java 17.
for j in "$ROOT"/spark/target/lib/*.jar; do ln -s "$j" "$OUT/spark-home/jars/"; done
OPENS=""
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
  java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  OPENS="$OPENS --add-opens=java.base/$p=ALL-UNNAMED"
done
export SPARK_HOME="$OUT/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do pkill -KILL -P "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
daemon() { # NAME CLASS ARGS...: starts a Spark daemon, logs in OUT/NAME.log
  local name=$1; shift
  # shellcheck disable=SC2086
  java -Xmx256m $OPENS -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true \
    -cp "$ROOT/spark/target/lib/*" "$@" > "$OUT/$name.log" 2>&1 &
  PIDS+=($!)
}
wait_for() { # FILE TEXT COUNT: until FILE(s) hold TEXT COUNT times (a daemon's own "ready" line), at most 5 min
  for _ in $(seq 600); do
    [ "$(cat $1 2>/dev/null | grep -c "$2")" -ge "$3" ] && return 0
    sleep 0.5
  done
  echo "timed out waiting for '$2' in $1" >&2; exit 1
}
PORT=$(free_port)
MASTER="spark://127.0.0.1:$PORT"
daemon master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$PORT" --webui-port "$(free_port)"
wait_for "$OUT/master.log" "I have been elected leader" 1
for i in 1 2; do
  daemon "worker$i" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 --memory 1g \
    --webui-port "$(free_port)" --work-dir "$OUT/work$i" "$MASTER"
done
wait_for "$OUT/worker*.log" "Successfully registered with master" 2
echo "cluster: $MASTER, 2 workers x 1 core; load $(cut -d' ' -f1-3 /proc/loadavg)"

TIMEFORMAT='%R %U %S'
{ time "$SCGRN" batch "$OUT/plan.yaml" --out "$OUT/local" -j 2 -q > "$OUT/local.out" 2>&1 || true; } 2> "$OUT/local.time"
{ time SCGRN_JAVA_OPTS="-Dspark.executor.memory=768m ${SCGRN_JAVA_OPTS:-}" "$SCGRN" batch "$OUT/plan.yaml" \
    --out "$OUT/cluster" --spark "$MASTER" -q > "$OUT/cluster.out" 2>&1 || true; } 2> "$OUT/cluster.time"

/usr/bin/python3 - "$OUT" <<'PY'
import os, sys
out = sys.argv[1]
def summary(run):
    lines = open(f"{out}/{run}/summary.tsv").read().splitlines()
    head = lines[0].split("\t")
    drop = {head.index("seconds"), head.index("reused")}
    return ["\t".join(f for i, f in enumerate(l.split("\t")) if i not in drop) for l in lines]
local, cluster = summary("local"), summary("cluster")
status = lines = None
bad = [] if local == cluster else ["summary.tsv"]
tasks = sorted(d for d in os.listdir(f"{out}/local/tasks") if not d.startswith("."))
ok = 0
for t in tasks:
    for f in ("network.tsv", "network.arrow", "regulons.tsv"):
        a, b = f"{out}/local/tasks/{t}/{f}", f"{out}/cluster/tasks/{t}/{f}"
        if not os.path.exists(a) or not os.path.exists(b) or open(a, "rb").read() != open(b, "rb").read():
            bad.append(f"{t}/{f}")
        else:
            ok += 1
for run in ("local", "cluster"):
    w, u, s = map(float, open(f"{out}/{run}.time").read().split())
    print(f"{run:8s} wall {w:7.1f} s  CPU {u + s:7.1f} s (driver process; executors' CPU not counted)  "
          + [l for l in open(f"{out}/{run}.out").read().splitlines() if "task(s):" in l][-1])
print(f"{len(tasks)} tasks, {ok} files identical; summary.tsv {'identical' if 'summary.tsv' not in bad else 'DIFFERS'}")
if bad:
    print("differ:", *bad[:20], sep="\n  ")
    sys.exit(1)
PY
