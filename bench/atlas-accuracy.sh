#!/usr/bin/env bash
# Accuracy of `scgrn infer` on prefixes of the synthetic atlas (bench/make_atlas_h5ad.py) against its planted
# network: one line per run with cells, seed, model, wall, peak RSS, EPR, AUPRC ratio, the cells the model saw and
# the machine's load. Usage:
#   bench/atlas-accuracy.sh RESULTS.tsv DIR SEED [extra infer args...]      # DIR holds data.h5ad, tfs.txt, truth.csv
# e.g. for d in a100k a200k a400k; do for s in 0 1 2; do bench/atlas-accuracy.sh acc.tsv $d $s; done; done
# Heap: SCGRN_JAVA_OPTS (default -Xmx4g). ACC_KEEP=DIR keeps each run's network.tsv and manifest.json there as
# DIR/<data dir>-s<seed>.{network.tsv,manifest.json}. Needs /usr/bin/time and python3.
set -euo pipefail
results=$1; dir=$2; seed=$3; shift 3
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(mktemp -d "${TMPDIR:-/tmp}/scgrn-acc.XXXXXX")"
load=$(cut -d' ' -f1-3 /proc/loadavg)
export SCGRN_JAVA_OPTS="${SCGRN_JAVA_OPTS:--Xmx4g}"
set +e
/usr/bin/time -f "%e %M %U %S" -o "$out/time" "$here/app/bin/scgrn" infer "$dir/data.h5ad" --tfs "$dir/tfs.txt" \
  --truth "$dir/truth.csv" --seed "$seed" --no-h5ad -q --out "$out/run" "$@" > "$out/log" 2>&1
rc=$?
set -e
read -r wall kb usr sys < <(tail -n 1 "$out/time")
python3 - "$out/run/manifest.json" "$results" "$dir" "$seed" "$rc" "$wall" "$kb" "$usr" "$sys" "$load" "$*" <<'PY'
import json, os, sys
mf, results, d, seed, rc, wall, kb, usr, sys_, load, extra = sys.argv[1:]
m = json.load(open(mf)) if os.path.exists(mf) else {}
s = m.get("scores", {}); p = m.get("preparation", {})
row = [os.path.basename(d.rstrip("/")), p.get("cells_in", ""), seed, m.get("model", ""), "rc=" + rc,
       "%.0f" % float(wall), "%.1f" % (float(usr) + float(sys_)), "%.2f" % (int(kb) / 1048576),
       "%.3f" % s["epr"] if "epr" in s else "", "%.3f" % s["auprc_ratio"] if "auprc_ratio" in s else "",
       p.get("cells", ""), " | ".join(x for x in p.get("steps", []) if "sketch" in x or "most variable" in x),
       load, extra]
with open(results, "a") as f:
    f.write("\t".join(str(x) for x in row) + "\n")
print("\t".join(str(x) for x in row))
PY
if [ -n "${ACC_KEEP:-}" ] && [ "$rc" = 0 ]; then
  mkdir -p "$ACC_KEEP"
  tag="$(basename "${dir%/}")-s$seed"
  cp "$out/run/network.tsv" "$ACC_KEEP/$tag.network.tsv"; cp "$out/run/manifest.json" "$ACC_KEEP/$tag.manifest.json"
fi
[ "$rc" = 0 ] && rm -rf "$out" || echo "kept $out (exit $rc)" >&2
