# Shared by the paired whole-process benchmarks (inspect-stats-benchmark.sh, startup-benchmark.sh): source it after
# setting TMP to a scratch folder.
#
#   timed LABEL COMMAND...  runs COMMAND (its output kept in $TMP/out, shown only when it fails) and appends
#                           "LABEL wall_s cpu_s load1" to $TMP/runs (cpu = user + system seconds)
#   median LABEL COLUMN     the median of COLUMN (2 wall, 3 cpu) over the rows of LABEL in $TMP/runs

timed() {
    local label=$1
    shift
    /usr/bin/time -o "$TMP/t" -f "%e %U %S" "$@" > "$TMP/out" 2>&1 || { cat "$TMP/out" >&2; exit 1; }
    read -r wall user sys < "$TMP/t"
    echo "$label $wall $(echo "$user + $sys" | bc) $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$TMP/runs"
}

median() {
    awk -v l="$1" -v c="$2" '$1 == l {print $c}' "$TMP/runs" | sort -g | awk '{v[NR]=$1} END {
        if (NR % 2) print v[(NR+1)/2]; else printf "%.2f\n", (v[NR/2] + v[NR/2+1]) / 2 }'
}
