#!/usr/bin/env bash
# scgrn server load benchmark (see docs/benchmarks.md, section "server"): 50 concurrent clients querying the top
# 1,000 edges and gene neighbourhoods of a 1,000,000-edge network, then a 1 GiB streamed upload with the heap
# sampled, then the same upload under -Xmx128m.
#
#   bench/server-benchmark.sh [SECONDS=20] [CLIENTS=50] [UPLOAD_MIB=1024]
#
# Needs: JDK 17, Maven with the project's dependencies in ~/.m2 (runs offline).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_=${1:-20}
CLIENTS=${2:-50}
UPLOAD=${3:-1024}
cd "$ROOT"
mvn -q -o -B install -DskipTests -pl io-anndata,graph-models,web-ui
mvn -q -o -B test-compile -pl app
CP_FILE=$(mktemp)
mvn -q -o -B dependency:build-classpath -pl app -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="$ROOT/app/target/test-classes:$ROOT/app/target/classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"
JAVA_OPTS="--add-opens=java.base/java.nio=ALL-UNNAMED -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
# shellcheck disable=SC2086
java $JAVA_OPTS -Xmx2g -cp "$CP" io.scgrn.app.server.bench.ServerLoadBenchmark "$SECONDS_" "$CLIENTS" "$UPLOAD"
# shellcheck disable=SC2086
java $JAVA_OPTS -Xmx128m -cp "$CP" io.scgrn.app.server.bench.ServerLoadBenchmark 0 0 "$UPLOAD"
