"""Writes bench/synthetic-planted/: a tiny benchmark set in the /work/shared/benchmarks layout for the app's
`scgrn bench` test (synthetic, no licence restrictions): 60 cells x 12 genes, log-like values; TF1 drives G1-G3,
TF2 drives G4-G6 (truth.csv), the other genes are noise. Run from the repository root:

    /usr/bin/python3 app/src/test/resources/cli/make_bench_fixture.py
"""
import os
import anndata
import numpy as np
import pandas as pd

rng = np.random.default_rng(1)
n = 60
tf1 = rng.gamma(2.0, 1.0, n)
tf2 = rng.gamma(2.0, 1.0, n)
cols = {"TF1": tf1, "TF2": tf2}
for i in range(1, 4):
    cols[f"G{i}"] = np.maximum(0, tf1 * i / 3 + rng.normal(0, 0.3, n))
for i in range(4, 7):
    cols[f"G{i}"] = np.maximum(0, tf2 * (i - 3) / 3 + rng.normal(0, 0.3, n))
for i in range(7, 11):
    cols[f"G{i}"] = rng.gamma(2.0, 1.0, n)
x = np.log1p(np.column_stack(list(cols.values()))).astype(np.float32)
out = "app/src/test/resources/cli/bench/synthetic-planted"
os.makedirs(out, exist_ok=True)
a = anndata.AnnData(X=x, obs=pd.DataFrame(index=[f"c{i}" for i in range(n)]),
                    var=pd.DataFrame(index=list(cols.keys())))
a.write_h5ad(f"{out}/data.h5ad")
with open(f"{out}/truth.csv", "w") as f:
    f.write("Gene1,Gene2\n")
    for i in range(1, 4):
        f.write(f"TF1,G{i}\n")
    for i in range(4, 7):
        f.write(f"TF2,G{i}\n")
with open(f"{out}/tfs.txt", "w") as f:
    f.write("TF1\nTF2\n")
