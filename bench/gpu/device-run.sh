#!/usr/bin/env bash
# GPU check run on a lent NVIDIA H200 (docs/gpu.md, "Measured on an NVIDIA H200"): builds DJL's JNI against the
# machine's own PyTorch, then times the nn models on CPU and GPU in one JVM and runs `scgrn infer --device gpu`.
# Expects .gpu/ as bench/gpu/README.md packs it (JRE, app classes + jars, graph-models test classes, a few
# benchmark sets, a DJL JNI source tree).  Output: $OUT/log.txt, the built libdjl_torch.so, build logs.
set -u
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
exec > >(tee "$OUT/log.txt") 2>&1
G=$PWD/.gpu
T0=$(date +%s)
el() { echo "[t+$(( $(date +%s) - T0 ))s] $*"; }
el start; nproc; free -g | head -2
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
TL=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__)+"/lib")')
python3 -c 'import torch;print("torch",torch.__version__,"cuda",torch.version.cuda,torch.cuda.is_available(),"cxx11abi",torch._C._GLIBCXX_USE_CXX11_ABI)'
ls "$TL"
mkdir -p /tmp/j && tar xJf "$G/jre.txz" -C /tmp/j; JAVA=/tmp/j/jre/bin/java; $JAVA -version 2>&1 | head -1
el "build the JNI against this torch"
TD=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')
TV=$(python3 -c 'import torch;print(torch.__version__.split("+")[0])')
g++ --version | head -1
TORCH_DIR=$TD JOBS=16 timeout 300 bash "$G/djlsrc/build.sh" > /tmp/build.txt 2>&1; brc=$?
grep -v "^  Java_" /tmp/build.txt | tail -40
(cd "$G/djlsrc" && tar czf "$OUT/build-logs.tgz" build/log build/*.txt 2>/dev/null)
[ -f "$G/djlsrc/build/libdjl_torch.so" ] || { el "JNI build failed (rc $brc)"; exit 4; }
cp "$G/djlsrc/build/libdjl_torch.so" "$OUT/"
mkdir -p /tmp/djl/pytorch/$TV-cu130-linux-x86_64 && cp "$G/djlsrc/build/libdjl_torch.so" /tmp/djl/pytorch/$TV-cu130-linux-x86_64/0.36.0-libdjl_torch.so
el "JNI built"
# DJL counts GPUs through JNA's libcudart (CudaUtils): point JNA and the loader at the CUDA runtime there is
CUDART=$(python3 - <<'PY'
import glob, os, site
pats = []
for sp in site.getsitepackages():
    pats += glob.glob(sp + "/nvidia/**/libcudart.so*", recursive=True)
pats += glob.glob("/usr/local/cuda*/lib64/libcudart.so*") + glob.glob("/usr/local/cuda*/targets/x86_64-linux/lib/libcudart.so*")
print(os.path.dirname(sorted(pats)[0]) if pats else "")
PY
)
echo "cudart dir: $CUDART"; ls $CUDART 2>/dev/null | head
export LD_LIBRARY_PATH=$CUDART${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export PYTORCH_LIBRARY_PATH=$TL PYTORCH_VERSION=$TV PYTORCH_FLAVOR=cu130 DJL_CACHE_DIR=/tmp/djl ENGINE_CACHE_DIR=/tmp/djl
CP="$G/gmtest:$G/app/target/lib/*"
JO="-Djna.library.path=$CUDART --add-opens=java.base/java.nio=ALL-UNNAMED -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Xmx24g"
el "gpu sanity"
timeout 60 $JAVA $JO -cp "$CP" io.scgrn.models.nn.NnDeviceBench gnn 300x200x20:gpu+cpu gpu || {
  el "GPU sanity failed; again with loader debug"
  timeout 60 $JAVA $JO -Djna.debug_load=true -Dorg.slf4j.simpleLogger.defaultLogLevel=debug -cp "$CP" io.scgrn.models.nn.NnDeviceBench gnn 300x200x20:gpu gpu 2>&1 | grep -v "^\s*at " | tail -60
  exit 3; }
nvidia-smi --query-gpu=memory.used --format=csv
left() { [ $(( $(date +%s) - T0 )) -lt ${1:-480} ]; }
el "bench 1: models x sizes, cpu (1 torch thread, scgrn's default) vs gpu"
timeout 60 $JAVA $JO -cp "$CP" io.scgrn.models.nn.NnDeviceBench gnn,crowd 1000x1000x100 cpu,gpu
el "bench 1b"
left 360 && timeout 150 $JAVA $JO -cp "$CP" io.scgrn.models.nn.NnDeviceBench sem,regdiff 1000x1000x100 gpu,cpu
el "bench 2"
left 400 && timeout 120 $JAVA $JO -cp "$CP" io.scgrn.models.nn.NnDeviceBench gnn,crowd 5000x2000x200 gpu,cpu
el "bench 3: larger, gpu only"
left 440 && timeout 60 $JAVA $JO -cp "$CP" io.scgrn.models.nn.NnDeviceBench gnn,regdiff 20000x5000x500:gpu gpu
el "accuracy on real sets, crowd cpu vs gpu"
for d in gpu cpu; do left 470 && timeout 60 $JAVA $JO -cp "$CP" io.scgrn.models.nn.NnBench crowd "$G/bench" device=$d beeline-hHEP-STRING-500 beeline-mDC-STRING-500 sergio-DS4; done
el "cli"
export JAVA_HOME=/tmp/j/jre SCGRN_PYTORCH=cuda SCGRN_JAVA_OPTS="-Djna.library.path=$CUDART"
for d in gpu cpu; do
  left 500 || break
  s=$(date +%s.%N); timeout 120 "$G/app/bin/scgrn" infer examples/pbmc68k_reduced.h5ad --device $d -o /tmp/cli-$d > /tmp/cli-$d.log 2>&1; rc=$?
  echo "cli --device $d rc=$rc wall $(python3 -c "print(round($(date +%s.%N)-$s,2))") s"; tail -3 /tmp/cli-$d.log; grep '"device"' /tmp/cli-$d/manifest.json
done
cp /tmp/cli-gpu/manifest.json "$OUT/manifest-gpu.json" 2>/dev/null
python3 - <<'PY'
import csv
def top(p, k=500):
    rows = list(csv.DictReader(open(p), delimiter='\t'))
    return [(r['tf'], r['target']) for r in rows[:k]]
a, b = top('/tmp/cli-cpu/network.tsv'), top('/tmp/cli-gpu/network.tsv')
print('cli top-500 overlap cpu/gpu', len(set(a) & set(b)) / max(1, len(a)))
PY
el "cpu 16 threads, gnn+crowd 5000x2000x200"
left 480 && timeout 60 $JAVA ${JO/num_threads=1/num_threads=16} -cp "$CP" io.scgrn.models.nn.NnDeviceBench gnn,crowd 5000x2000x200:cpu cpu
el done
