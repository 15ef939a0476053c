#!/usr/bin/env bash
# scgrn server soak benchmark (issue 11; docs/benchmarks.md, "server hardening / soak" and "round 3"): the server in
# its own JVM (-Xmx2g, loopback, --jobs 2) on a workspace with a 1,000,000-edge network, CLIENTS clients for SECONDS
# seconds mixing network queries, per-cell requests, uploads, deletes, hostile uploads, real jobs and cancels.
# Reports 5xx (a full job queue is a 429, not a 5xx), OutOfMemoryError, heap after a full GC at start vs end, the p99 of
# network?top=1000, and at the end the four figures of the bar with PASS / FAIL.
#
#   bench/soak-benchmark.sh [SECONDS=600] [CLIENTS=50] [XMX=2g]
#
# Needs: JDK 17 (java, jcmd), Maven with the project's dependencies in ~/.m2 (runs offline). Builds with the
# reactor into target/ folders only (no install).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_=${1:-600}
CLIENTS=${2:-50}
XMX=${3:-2g}
cd "$ROOT"
CP_FILE=$(mktemp)
# One reactor run compiles io-anndata, graph-models, web-ui and app (with tests) and writes app's test class path;
# reactor modules resolve to their target/ folders.
mvn -q -o -B test-compile dependency:build-classpath -pl app -am -Dmdep.includeScope=test \
    -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="$ROOT/app/target/test-classes:$ROOT/app/target/classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"
echo "load before: $(uptime)"
# SOAK_SERVER_ARGS: extra JVM options for the server, e.g. SOAK_SERVER_ARGS="-Xlog:gc:file=/tmp/soak-gc.log".
java --add-opens=java.base/java.nio=ALL-UNNAMED -Xmx1g -Dsoak.serverArgs="${SOAK_SERVER_ARGS:-}" \
    -Dsoak.gc="${SOAK_GC:-G1}" -cp "$CP" \
    io.scgrn.app.server.bench.SoakBenchmark \
    "$SECONDS_" "$CLIENTS" "$XMX"
echo "load after: $(uptime)"
