#!/usr/bin/env bash
# The server on an atlas-sized dataset: starts `scgrn serve` (heap SERVER_XMX, default 4g) on a fresh workspace,
# uploads FILE, then asks for the summary, a gene search, an obs column, a gene's expression and the embedding
# (asked again while it is being computed, then once more from its cache; per-cell answers carry at most 200,000
# cells unless max_cells says otherwise), timing every request (curl) and sampling the server's peak
# RSS (VmHWM) and CPU seconds. Prints one line per request.
#
#   bench/server-atlas.sh FILE.h5ad GENE [OBS_COLUMN]
#
# FILE: e.g. the 1,000,000-cell file of bench/make_atlas_h5ad.py --cells 1000000 (obs column cell_type, genes
# G00000 …, TF000 …). Needs app/bin/scgrn built and curl.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
FILE=$1
GENE=$2
OBS=${3:-cell_type}
GENE2=${GENE2:-TF001}   # a second gene, asked once after the embedding
XMX=${SERVER_XMX:-4g}
PORT=${PORT:-18765}
WS=$(mktemp -d)
LOG=$WS/server.log
# KEEP_LOG=FILE keeps the server's log
trap 'kill "$PID" 2>/dev/null || true; [ -z "${KEEP_LOG:-}" ] || cp "$LOG" "$KEEP_LOG"; rm -rf "$WS"' EXIT

SCGRN_JAVA_OPTS="-Xmx$XMX" "$ROOT/app/bin/scgrn" serve --port "$PORT" --workspace "$WS/ws" > "$LOG" 2>&1 &
PID=$!
API=http://127.0.0.1:$PORT/api/v1
for _ in $(seq 1 240); do
    curl -sf "$API/datasets" > /dev/null 2>&1 && break
    kill -0 "$PID" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
    sleep 0.5
done

cpu() {  # CPU seconds (user + system) of the server so far
    awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$PID/stat"
}
rss() {  # peak resident set so far, MB
    awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$PID/status"
}
echo "file: $FILE ($(du -h "$FILE" | cut -f1)); heap -Xmx$XMX; $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "request | http | seconds | bytes | server cpu s (cumulative) | peak RSS MB"
req() {  # label curl-args...
    local label=$1
    shift
    local out
    out=$(curl -s -o "$WS/body" -w "%{http_code} %{time_total} %{size_download}" "$@")
    LAST=${out%% *}
    echo "$label | $out | $(cpu) | $(rss)"
}
req upload -F "file=@$FILE;filename=atlas.h5ad" "$API/datasets"
ID=$(grep -o '"id" *: *"[^"]*"' "$WS/body" | head -1 | sed 's/.*"\([^"]*\)"$/\1/' || true)
[ -n "$ID" ] || { echo "upload failed: $(head -c 400 "$WS/body")" >&2; exit 1; }
req summary "$API/datasets/$ID"
req genes "$API/datasets/$ID/genes?q=${GENE:0:3}"
req "obs $OBS" "$API/datasets/$ID/obs/$OBS"
for i in $(seq 1 20); do
    req "expression $GENE (try $i)" "$API/datasets/$ID/expression/$GENE"
    [ "$LAST" = 503 ] || break
    sleep 10
done
# a computed embedding answers 503 + Retry-After while it is being computed: ask again until it is there
T0=$(date +%s.%N)
for i in $(seq 1 20); do
    req "embedding (try $i)" "$API/datasets/$ID/embedding"
    [ "$LAST" = 503 ] || break
    sleep 10
done
echo "embedding ready after $(echo "$(date +%s.%N) - $T0" | bc) s"
req "embedding (cached)" "$API/datasets/$ID/embedding"
req "embedding (cached, every cell: max_cells=0)" "$API/datasets/$ID/embedding?max_cells=0"
req "second gene $GENE2 (try 1)" "$API/datasets/$ID/expression/$GENE2"
req "expression $GENE (again)" "$API/datasets/$ID/expression/$GENE"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -i "error\|exception" "$LOG" | head -5 || true
